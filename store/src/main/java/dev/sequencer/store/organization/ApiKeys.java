package dev.sequencer.store.organization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys, stored as SHA-256 hashes. Keys are long random secrets, so a fast unsalted hash is
 * enough to make a leaked table useless while keeping the lookup a single indexed query.
 */
@Repository
public class ApiKeys {

  private final JdbcClient jdbc;

  public ApiKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The organization that owns {@code rawKey}, if the key exists and is not revoked. */
  public Optional<String> organizationOf(String rawKey) {
    return organizationOfHash(hash(rawKey));
  }

  /** The organization that owns the key of this {@link #hash}, if it is not revoked. */
  public Optional<String> organizationOfHash(String keyHash) {
    return jdbc.sql(
            "select organization_id from api_keys where key_hash = ? and revoked_at is null")
        .param(keyHash)
        .query(String.class)
        .optional();
  }

  /** Creates the organization and registers the key for it, both only if missing. */
  @Transactional
  public void ensure(String organizationId, String organizationName, String rawKey, String label) {
    jdbc.sql("insert into organizations (id, name) values (?, ?) on conflict (id) do nothing")
        .params(organizationId, organizationName)
        .update();
    jdbc.sql(
            "insert into api_keys (id, organization_id, key_hash, label) values (?, ?, ?, ?)"
                + " on conflict (key_hash) do nothing")
        .params(
            "key_" + UUID.randomUUID().toString().replace("-", ""),
            organizationId,
            hash(rawKey),
            label)
        .update();
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
}
