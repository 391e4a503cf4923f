package dev.sequencer.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class TestDatabaseTest {

  private static final List<String> TABLES =
      List.of(
          "api_keys",
          "audit_log",
          "campaign_steps",
          "campaign_variants",
          "campaigns",
          "daily_quota",
          "lead_events",
          "lead_steps",
          "leads",
          "messages",
          "organizations",
          "suppression_audit",
          "suppressions");

  @Test
  void sharedDatabaseIsMigrated() {
    JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());

    assertThat(TestDatabase.jdbcUrl()).startsWith("jdbc:postgresql://").contains("/sequencer?");
    assertThat(tables(jdbc)).containsAll(TABLES).contains("flyway_schema_history");
    assertThat(
            jdbc.sql(
                    "select version from flyway_schema_history where success order by installed_rank")
                .query(String.class)
                .list())
        .contains("1");
  }

  @Test
  void createdDatabaseIsMigratedEmptyAndSeparate() {
    String name = TestDatabase.createDatabase();
    String other = TestDatabase.createDatabase();
    JdbcClient fresh = JdbcClient.create(TestDatabase.dataSource(name));
    JdbcClient second = JdbcClient.create(TestDatabase.dataSource(other));

    assertThat(name).isNotEqualTo(other);
    assertThat(TestDatabase.jdbcUrl(name)).contains("/" + name + "?");
    assertThat(tables(fresh)).containsAll(TABLES);
    for (String table : TABLES) {
      assertThat(count(fresh, table)).as(table).isZero();
    }
    fresh.sql("insert into organizations (id, name) values ('org_fresh', 'Fresh')").update();

    assertThat(count(fresh, "organizations")).isEqualTo(1);
    assertThat(count(second, "organizations")).isZero();
  }

  @Test
  void truncateAllEmptiesEveryTableButKeepsTheSchema() {
    DataSource dataSource = TestDatabase.dataSource(TestDatabase.createDatabase());
    JdbcClient jdbc = JdbcClient.create(dataSource);
    jdbc.sql("insert into organizations (id, name) values ('org_t', 'T')").update();
    jdbc.sql(
            "insert into api_keys (id, organization_id, key_hash, label, role) values ('k', 'org_t',"
                + " 'h', 'l', 'ADMIN')")
        .update();

    TestDatabase.truncateAll(dataSource);

    assertThat(count(jdbc, "organizations")).isZero();
    assertThat(count(jdbc, "api_keys")).isZero();
    assertThat(count(jdbc, "flyway_schema_history")).isPositive();
  }

  private static List<String> tables(JdbcClient jdbc) {
    return jdbc.sql("select tablename from pg_tables where schemaname = 'public'")
        .query(String.class)
        .list();
  }

  private static long count(JdbcClient jdbc, String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }
}
