package dev.sequencer.store.organization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sequencer.store.Ids;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ApiKeysTest extends StoreIntegrationTest {

  @Autowired ApiKeys apiKeys;

  @Test
  void storesOnlyTheHashAndResolvesTheOrganization() throws Exception {
    String org = Ids.next("org");
    String rawKey = "sk_live_" + Ids.next("key");

    apiKeys.ensure(org, "Acme", rawKey, "ci");

    assertThat(apiKeys.organizationOf(rawKey)).contains(org);
    List<Map<String, Object>> rows =
        jdbc.sql("select * from api_keys where organization_id = ?")
            .param(org)
            .query()
            .listOfRows();
    assertThat(rows).hasSize(1);
    String expectedHash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(rawKey.getBytes(StandardCharsets.UTF_8)));
    assertThat(rows.get(0)).containsEntry("key_hash", expectedHash).containsEntry("label", "ci");
    // The raw key is in no column of any key row, not even as a part.
    assertThat(
            jdbc.sql("select count(*) from api_keys k where position(? in k::text) > 0")
                .param(rawKey)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(
            jdbc.sql("select name from organizations where id = ?")
                .param(org)
                .query(String.class)
                .single())
        .isEqualTo("Acme");
  }

  @Test
  void ensureIsIdempotent() {
    String org = Ids.next("org");
    String rawKey = Ids.next("key");

    apiKeys.ensure(org, "Acme", rawKey, "dev");
    apiKeys.ensure(org, "Renamed", rawKey, "dev");

    assertThat(count("select count(*) from api_keys where organization_id = ?", org)).isEqualTo(1);
    assertThat(count("select count(*) from organizations where id = ?", org)).isEqualTo(1);
    assertThat(apiKeys.organizationOf(rawKey)).contains(org);
  }

  @Test
  void unknownAndRevokedKeysAreRefused() {
    String org = Ids.next("org");
    String kept = Ids.next("key");
    String revoked = Ids.next("key");
    apiKeys.ensure(org, "Acme", kept, "kept");
    apiKeys.ensure(org, "Acme", revoked, "revoked");

    jdbc.sql("update api_keys set revoked_at = now() where organization_id = ? and label = ?")
        .params(org, "revoked")
        .update();

    assertThat(apiKeys.organizationOf(revoked)).isEmpty();
    assertThat(apiKeys.organizationOf(kept)).contains(org);
    assertThat(apiKeys.organizationOf(kept + "x")).isEmpty();
    assertThat(apiKeys.organizationOf("")).isEmpty();
  }

  @Test
  void keysOfTwoOrganizationsResolveToTheirOwn() {
    String one = Ids.next("org");
    String two = Ids.next("org");
    String keyOne = Ids.next("key");
    String keyTwo = Ids.next("key");

    apiKeys.ensure(one, "One", keyOne, "k");
    apiKeys.ensure(two, "Two", keyTwo, "k");

    assertThat(apiKeys.organizationOf(keyOne)).contains(one);
    assertThat(apiKeys.organizationOf(keyTwo)).contains(two);
  }

  @Test
  void issuedKeysCarryTheirRoleAndStopWorkingWhenRevoked() {
    String org = Ids.next("org");
    apiKeys.ensure(org, "Acme", Ids.next("key"), "first");
    IssuedKey operator = apiKeys.create(org, "Support", Role.OPERATOR);

    assertThat(operator.secret()).startsWith("sq_").hasSize(46);
    assertThat(operator.toString()).doesNotContain(operator.secret());
    assertThat(apiKeys.holderOfHash(ApiKeys.hash(operator.secret())))
        .contains(new KeyHolder(operator.key().id(), org, Role.OPERATOR));
    assertThat(apiKeys.list(org))
        .extracting(ApiKey::name, ApiKey::role)
        .containsExactly(tuple("first", Role.ADMIN), tuple("Support", Role.OPERATOR));

    // Another organization cannot revoke it; its own can, and revoking twice is harmless.
    assertThat(apiKeys.revoke(Ids.next("org"), operator.key().id())).isFalse();
    assertThat(apiKeys.holderOfHash(ApiKeys.hash(operator.secret()))).isPresent();
    assertThat(apiKeys.revoke(org, operator.key().id())).isTrue();
    assertThat(apiKeys.revoke(org, operator.key().id())).isTrue();
    assertThat(apiKeys.holderOfHash(ApiKeys.hash(operator.secret()))).isEmpty();
    assertThat(apiKeys.list(org).get(1).revokedAt()).isNotNull();
  }

  private long count(String sql, String param) {
    return jdbc.sql(sql).param(param).query(Long.class).single();
  }
}
