#!/usr/bin/env bash
# The README's tour, end to end, against a running service (the embedded default by default):
# create a campaign, import leads as CSV, start it, watch the hooks go out, pause and resume a
# lead, opt one out, reply as another, and read the metrics and the audit log.
#
#   examples/tour.sh                        # http://localhost:8080 with dev-api-key
#   BASE=https://… KEY=… examples/tour.sh
set -euo pipefail
cd "$(dirname "$0")"
BASE=${BASE:-http://localhost:8080}
KEY=${KEY:-dev-api-key}
AUTH="Authorization: Bearer $KEY"
api() { curl -fsS -H "$AUTH" "$@"; echo; }
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }

echo "== create the campaign"
CAMPAIGN=$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' \
  "$BASE/api/v1/campaigns" --data @campaign.json | field campaign_id)
echo "$CAMPAIGN"

echo "== import the leads (CSV)"
api -H 'Content-Type: text/csv' "$BASE/api/v1/campaigns/$CAMPAIGN/leads" --data-binary @leads.csv

echo "== preview the steps for a lead"
api -H 'Content-Type: application/json' "$BASE/api/v1/campaigns/$CAMPAIGN/preview" \
  -d '{"lead": {"email": "grace@example.com", "first_name": "Grace", "company": "Navy"}}'

echo "== start"
api -X POST "$BASE/api/v1/campaigns/$CAMPAIGN/start"

echo "== wait for the first hook"
for _ in $(seq 1 60); do
  if curl -fsS -H "$AUTH" "$BASE/api/v1/campaigns/$CAMPAIGN/leads/crm-1001" | grep -q '"status":"sent"'; then
    break
  fi
  sleep 1
done
api "$BASE/api/v1/campaigns/$CAMPAIGN/leads/crm-1001"

echo "== pause and resume one lead"
api -X POST "$BASE/api/v1/campaigns/$CAMPAIGN/leads/crm-1002/pause"
api -X POST "$BASE/api/v1/campaigns/$CAMPAIGN/leads/crm-1002/resume"

echo "== a reply and an opt-out"
api -H 'Content-Type: application/json' "$BASE/api/v1/replies" \
  -d '{"channel": "email", "from": "katherine@example.com", "body": "Interesting - can we talk on Tuesday?"}'
api -H 'Content-Type: application/json' "$BASE/api/v1/opt-outs" -d '{"email": "ada@example.org"}'

echo "== the campaign, its metrics and the audit log"
api "$BASE/api/v1/campaigns/$CAMPAIGN"
api "$BASE/api/v1/campaigns/$CAMPAIGN/metrics"
api "$BASE/api/v1/audit?limit=10"
