package dev.sequencer.store.console;

import dev.sequencer.store.organization.ApiKeys;
import dev.sequencer.store.organization.Role;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Console sessions, stored by the SHA-256 of their cookie token (a stolen table opens nothing). A
 * session is valid only while the key it was opened with is not revoked: revoking the key signs its
 * sessions out on their next request.
 */
@Repository
public class ConsoleSessions {

  /** How long a sign-in lasts. */
  public static final Duration LIFETIME = Duration.ofHours(8);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A signed-in viewer: whose, with which key and role, and the form token of the session. */
  public record Session(
      String organizationId, String keyId, Role role, String csrfToken, String viewerZone) {}

  /** A new session and the token its cookie carries (shown only here). */
  public record Opened(String token, Session session) {}

  private final JdbcClient jdbc;

  public ConsoleSessions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Opened open(String organizationId, String keyId, Role role, String zone, Instant now) {
    String token = randomToken();
    String csrf = randomToken();
    jdbc.sql(
            "insert into console_sessions (token_hash, organization_id, key_id, csrf_token,"
                + " viewer_zone, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)")
        .params(
            ApiKeys.hash(token),
            organizationId,
            keyId,
            csrf,
            zone,
            Timestamp.from(now),
            Timestamp.from(now.plus(LIFETIME)))
        .update();
    return new Opened(token, new Session(organizationId, keyId, role, csrf, zone));
  }

  /** The session of a cookie token, if it exists, has not expired and its key is not revoked. */
  public Optional<Session> find(String token, Instant now) {
    return jdbc.sql(
            "select s.organization_id, s.key_id, k.role, s.csrf_token, s.viewer_zone"
                + " from console_sessions s join api_keys k on k.id = s.key_id"
                + " where s.token_hash = ? and s.expires_at > ? and k.revoked_at is null")
        .params(ApiKeys.hash(token), Timestamp.from(now))
        .query(
            (rs, i) ->
                new Session(
                    rs.getString("organization_id"),
                    rs.getString("key_id"),
                    Role.valueOf(rs.getString("role")),
                    rs.getString("csrf_token"),
                    rs.getString("viewer_zone")))
        .optional();
  }

  public void close(String token) {
    jdbc.sql("delete from console_sessions where token_hash = ?")
        .param(ApiKeys.hash(token))
        .update();
  }

  public int purgeExpired(Instant now) {
    return jdbc.sql("delete from console_sessions where expires_at <= ?")
        .param(Timestamp.from(now))
        .update();
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
