package dev.sequencer.store.organization;

import dev.sequencer.store.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys, stored as SHA-256 hashes. Keys are long random secrets, so a fast unsalted hash is
 * enough to make a leaked table useless while keeping the lookup a single indexed query.
 */
@Repository
public class ApiKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;

  public ApiKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The organization that owns {@code rawKey}, if the key exists and is not revoked. */
  public Optional<String> organizationOf(String rawKey) {
    return holderOfHash(hash(rawKey)).map(KeyHolder::organizationId);
  }

  /** Who holds the key of this {@link #hash}, if it exists and is not revoked. */
  public Optional<KeyHolder> holderOfHash(String keyHash) {
    return jdbc.sql(
            "select id, organization_id, role from api_keys where key_hash = ? and revoked_at is null")
        .param(keyHash)
        .query(
            (rs, i) ->
                new KeyHolder(
                    rs.getString("id"),
                    rs.getString("organization_id"),
                    Role.valueOf(rs.getString("role"))))
        .optional();
  }

  /**
   * Creates the organization and registers the key for it as an {@code admin} key, both only if
   * missing.
   */
  @Transactional
  public void ensure(String organizationId, String organizationName, String rawKey, String name) {
    jdbc.sql("insert into organizations (id, name) values (?, ?) on conflict (id) do nothing")
        .params(organizationId, organizationName)
        .update();
    jdbc.sql(
            "insert into api_keys (id, organization_id, key_hash, label, role)"
                + " values (?, ?, ?, ?, 'ADMIN') on conflict (key_hash) do nothing")
        .params(Ids.next("key"), organizationId, hash(rawKey), name)
        .update();
  }

  /** Issues a new key of the organization; its secret is returned here and never again. */
  public IssuedKey create(String organizationId, String name, Role role) {
    String secret = newSecret();
    ApiKey key =
        jdbc.sql(
                "insert into api_keys (id, organization_id, key_hash, label, role)"
                    + " values (?, ?, ?, ?, ?)"
                    + " returning id, organization_id, label, role, created_at, revoked_at")
            .params(Ids.next("key"), organizationId, hash(secret), name, role.name())
            .query(ApiKeys::key)
            .single();
    return new IssuedKey(key, secret);
  }

  /** The organization's keys, oldest first, revoked ones included. */
  public List<ApiKey> list(String organizationId) {
    return jdbc.sql(
            "select id, organization_id, label, role, created_at, revoked_at from api_keys"
                + " where organization_id = ? order by created_at, id")
        .param(organizationId)
        .query(ApiKeys::key)
        .list();
  }

  /**
   * Revokes the organization's key; revoking it again changes nothing.
   *
   * @return whether the organization has such a key
   */
  public boolean revoke(String organizationId, String keyId) {
    jdbc.sql(
            "update api_keys set revoked_at = now()"
                + " where organization_id = ? and id = ? and revoked_at is null")
        .params(organizationId, keyId)
        .update();
    return jdbc.sql("select count(*) from api_keys where organization_id = ? and id = ?")
            .params(organizationId, keyId)
            .query(Long.class)
            .single()
        > 0;
  }

  /** The SHA-256 of a key, as stored. */
  public static String hash(String rawKey) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(rawKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** {@code sq_} and 32 random bytes, URL-safe: 46 characters. */
  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "sq_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static ApiKey key(ResultSet rs, int row) throws SQLException {
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new ApiKey(
        rs.getString("id"),
        rs.getString("organization_id"),
        rs.getString("label"),
        Role.valueOf(rs.getString("role")),
        rs.getTimestamp("created_at").toInstant(),
        revoked == null ? null : revoked.toInstant());
  }
}
