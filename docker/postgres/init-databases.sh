#!/usr/bin/env bash
# Creates the databases of the compose stack. The postgres image runs this once, when the
# postgres-data volume is first initialised; to apply changes (or new passwords) afterwards use
# `docker compose down -v` (this deletes all data) or change the roles by hand with psql.
#
#   sequencer            owned by role sequencer; the api and worker (Flyway migrates it)
#   temporal             owned by role temporal; Temporal's persistence store
#   temporal_visibility  owned by role temporal; Temporal's visibility store
#
# Temporal's auto-setup only creates the schemas (SKIP_DB_CREATE=true in docker-compose.yml).
# No `set -u`: the postgres entrypoint sources this file when it is not executable.
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v sequencer_password="${SEQUENCER_DB_PASSWORD:?SEQUENCER_DB_PASSWORD is not set}" \
  -v temporal_password="${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is not set}" <<'EOSQL'
CREATE ROLE sequencer LOGIN PASSWORD :'sequencer_password';
CREATE DATABASE sequencer OWNER sequencer;

CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
EOSQL
