package dev.sequencer.store.organization;

import dev.sequencer.store.Ids;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Organizations, created by the platform admin, each with its first {@code admin} key. */
@Repository
public class Organizations {

  private final JdbcClient jdbc;
  private final ApiKeys keys;

  public Organizations(JdbcClient jdbc, ApiKeys keys) {
    this.jdbc = jdbc;
    this.keys = keys;
  }

  /** A new organization and its first key, an {@code admin} one, in one transaction. */
  @Transactional
  public NewOrganization create(String name) {
    String id = Ids.next("org");
    jdbc.sql("insert into organizations (id, name) values (?, ?)").params(id, name).update();
    return new NewOrganization(id, name, keys.create(id, "first admin key", Role.ADMIN));
  }

  public record NewOrganization(String id, String name, IssuedKey adminKey) {}
}
