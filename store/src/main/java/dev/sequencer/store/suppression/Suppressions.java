package dev.sequencer.store.suppression;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The per-organization suppression list, by normalised email address or E.164 number. Every change
 * is audited with its source (keyword, link, reply, api, bounce, carrier). An erased person's
 * entries hold the address's {@link SuppressionHash}: every check matches the address or its hash,
 * so the address stays suppressed after its erasure.
 */
@Repository
public class Suppressions {

  private final JdbcClient jdbc;

  public Suppressions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public boolean isSuppressed(String organizationId, String channel, String address) {
    return jdbc.sql(
            "select exists (select 1 from suppressions where organization_id = ? and channel = ?"
                + " and address in (?, ?))")
        .params(organizationId, channel, address, SuppressionHash.of(address))
        .query(Boolean.class)
        .single();
  }

  /** How the address came to be suppressed (bounce, keyword, link, api, ...), if it is. */
  public java.util.Optional<String> sourceOf(
      String organizationId, String channel, String address) {
    return jdbc.sql(
            "select source from suppressions where organization_id = ? and channel = ?"
                + " and address in (?, ?) order by source = 'bounce' limit 1")
        .params(organizationId, channel, address, SuppressionHash.of(address))
        .query(String.class)
        .optional();
  }

  /** Which of {@code addresses} are suppressed, in one query (for bulk imports). */
  public java.util.Set<String> suppressedAmong(
      String organizationId, String channel, java.util.Collection<String> addresses) {
    if (addresses.isEmpty()) {
      return java.util.Set.of();
    }
    java.util.Map<String, String> byHash = new java.util.HashMap<>();
    for (String address : addresses) {
      if (address != null) {
        byHash.put(SuppressionHash.of(address), address);
      }
    }
    java.util.Set<String> candidates = new java.util.HashSet<>(byHash.keySet());
    addresses.stream().filter(java.util.Objects::nonNull).forEach(candidates::add);
    if (candidates.isEmpty()) {
      return java.util.Set.of();
    }
    java.util.Set<String> suppressed = new java.util.HashSet<>();
    for (String found :
        jdbc.sql(
                "select address from suppressions where organization_id = :org and channel = :channel"
                    + " and address in (:addresses)")
            .param("org", organizationId)
            .param("channel", channel)
            .param("addresses", candidates)
            .query(String.class)
            .list()) {
      String hashed = byHash.get(found);
      suppressed.add(hashed != null ? hashed : found);
    }
    return suppressed;
  }

  /** Suppresses the address; returns whether it was not suppressed before. */
  @Transactional
  public boolean suppress(
      String organizationId,
      String channel,
      String address,
      String source,
      String detail,
      Instant at) {
    int added =
        jdbc.sql(
                "insert into suppressions (organization_id, channel, address, source, created_at)"
                    + " values (?, ?, ?, ?, ?) on conflict do nothing")
            .params(organizationId, channel, address, source, Timestamp.from(at))
            .update();
    if (added == 0 && !"bounce".equals(source)) {
      // A person's own opt-out outranks a bounce: a step may fall back around a bounced address,
      // never around one that opted out.
      jdbc.sql(
              "update suppressions set source = ? where organization_id = ? and channel = ?"
                  + " and address = ? and source = 'bounce'")
          .params(source, organizationId, channel, address)
          .update();
    }
    audit(organizationId, channel, address, "opt_out", source, detail, at);
    return added > 0;
  }

  /**
   * Lifts the suppression, an erased entry of the address (its hash) included: the person asked for
   * mail again. Returns whether the address was suppressed.
   */
  @Transactional
  public boolean resubscribe(
      String organizationId,
      String channel,
      String address,
      String source,
      String detail,
      Instant at) {
    int removed =
        jdbc.sql(
                "delete from suppressions where organization_id = ? and channel = ?"
                    + " and address in (?, ?)")
            .params(organizationId, channel, address, SuppressionHash.of(address))
            .update();
    audit(organizationId, channel, address, "resubscribe", source, detail, at);
    return removed > 0;
  }

  private void audit(
      String organizationId,
      String channel,
      String address,
      String action,
      String source,
      String detail,
      Instant at) {
    jdbc.sql(
            "insert into suppression_audit (organization_id, channel, address, action, source,"
                + " detail, at) values (?, ?, ?, ?, ?, ?, ?)")
        .params(organizationId, channel, address, action, source, detail, Timestamp.from(at))
        .update();
  }
}
