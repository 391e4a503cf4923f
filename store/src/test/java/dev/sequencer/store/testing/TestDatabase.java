package dev.sequencer.store.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One embedded PostgreSQL per test JVM, shared by every test class of every module that has the
 * store test-jar on its test classpath.
 *
 * <p>The server starts on first use. The Flyway migrations ({@code classpath:db/migration}) run
 * once, on a template database; {@link #jdbcUrl()} is a database copied from that template, and
 * {@link #createDatabase()} makes a further fresh, migrated, empty copy in a few tens of
 * milliseconds ({@code CREATE DATABASE … TEMPLATE …}) for a test class that needs a database of its
 * own. Zonky stops the server and deletes its data directory from a JVM shutdown hook.
 */
public final class TestDatabase {

  public static final String USERNAME = "postgres";

  /**
   * Zonky's server trusts local connections; the password is only there for clients that want one.
   */
  public static final String PASSWORD = "postgres";

  private static final String TEMPLATE = "sequencer_template";
  private static final String SHARED = "sequencer";
  private static final AtomicInteger CREATED = new AtomicInteger();

  private TestDatabase() {}

  /** Initialised on first use of the class that holds it: thread-safe, lazy, once per JVM. */
  private static final class Server {
    static final EmbeddedPostgres POSTGRES = start();
    static final DataSource SHARED_DATA_SOURCE = copyOfTemplate(POSTGRES, SHARED);

    private static EmbeddedPostgres start() {
      try {
        EmbeddedPostgres postgres =
            EmbeddedPostgres.builder()
                // Durability is of no use to a test database and costs most of the write time.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        execute(postgres.getPostgresDatabase(), "create database " + TEMPLATE);
        Flyway.configure()
            .dataSource(postgres.getDatabase(USERNAME, TEMPLATE))
            .locations("classpath:db/migration")
            .load()
            .migrate();
        return postgres;
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }
  }

  /** The embedded server, e.g. for its port. */
  public static EmbeddedPostgres server() {
    return Server.POSTGRES;
  }

  /** The JDBC URL of the shared migrated database of this JVM (user {@value #USERNAME}). */
  public static String jdbcUrl() {
    return jdbcUrl(SHARED);
  }

  /** A data source (not pooled) on the shared migrated database. */
  public static DataSource dataSource() {
    return Server.SHARED_DATA_SOURCE;
  }

  /** The JDBC URL of {@code database} on the embedded server. */
  public static String jdbcUrl(String database) {
    return Server.POSTGRES.getJdbcUrl(USERNAME, database);
  }

  /** A data source (not pooled) on {@code database} of the embedded server. */
  public static DataSource dataSource(String database) {
    return Server.POSTGRES.getDatabase(USERNAME, database);
  }

  /**
   * Creates a fresh migrated, empty database and returns its name; see {@link #jdbcUrl(String)} and
   * {@link #dataSource(String)}.
   */
  public static String createDatabase() {
    String name = "sequencer_test_" + CREATED.incrementAndGet();
    copyOfTemplate(server(), name);
    return name;
  }

  /**
   * Points a Spring test context at the shared database: call it from a
   * {@code @DynamicPropertySource} method. Flyway, run again by the context, finds the schema
   * current.
   */
  public static void register(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
    registry.add("spring.datasource.username", () -> USERNAME);
    registry.add("spring.datasource.password", () -> PASSWORD);
  }

  /** Empties every table of the shared database (the Flyway history is kept). */
  public static void truncateAll() {
    truncateAll(dataSource());
  }

  /** Empties every table of the database behind {@code dataSource} but Flyway's history. */
  public static void truncateAll(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          statement.executeQuery(
              "select tablename from pg_tables where schemaname = current_schema()"
                  + " and tablename <> 'flyway_schema_history'")) {
        while (rs.next()) {
          tables.add('"' + rs.getString(1) + '"');
        }
      }
      if (!tables.isEmpty()) {
        statement.execute("truncate " + String.join(", ", tables) + " restart identity cascade");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("truncating the test database failed", e);
    }
  }

  private static DataSource copyOfTemplate(EmbeddedPostgres postgres, String database) {
    execute(
        postgres.getPostgresDatabase(), "create database " + database + " template " + TEMPLATE);
    return postgres.getDatabase(USERNAME, database);
  }

  private static void execute(DataSource dataSource, String sql) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }
}
