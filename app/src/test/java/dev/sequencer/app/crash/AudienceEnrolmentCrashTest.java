package dev.sequencer.app.crash;

import static dev.sequencer.app.crash.CrashHarness.closeAll;
import static dev.sequencer.app.crash.CrashHarness.runDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A campaign whose audience holds {@value #MEMBERS} contacts starts; the worker is killed with
 * SIGKILL while it makes the members leads (as soon as the first of them is there), and started
 * again. The retried enrolment resumes: every member becomes exactly one lead of the campaign,
 * pointing at its contact, with exactly one sequence workflow; no contact outside the audience
 * does. The setup is {@link SendCrashTest}'s {@link SplitDeployment}; the worker runs with a
 * 20-second enrolment heartbeat timeout ({@code crash.worker.enrolment-heartbeat-timeout}) instead
 * of the workflow's minute, so the killed attempt is retried within the test's time.
 */
@Execution(ExecutionMode.CONCURRENT)
class AudienceEnrolmentCrashTest {

  static final int MEMBERS = 5_000;

  /** Contacts outside the audience (another tag). */
  static final int OTHERS = 300;

  private static final String API_KEY = "audience-crash-api-key";
  private static final String TOKEN_SECRET = "audience-crash-token-secret-shared-by-api-and-worker";
  private static final Path OUT = runDirectory("audience-crash-test");

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;
  private static SplitDeployment deployment;
  private static CountingSmtpServer smtp;
  private static CrashHarness.Api client;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(OUT);
    postgres = EmbeddedPostgres.builder().start();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    deployment =
        new SplitDeployment(
            OUT, postgres.getJdbcUrl("postgres", "postgres"), API_KEY, TOKEN_SECRET);
    deployment.startTemporal("512m");
    smtp = new CountingSmtpServer();
    client = deployment.startApi();
  }

  @AfterAll
  static void stop() throws Exception {
    closeAll(deployment, smtp, postgres);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyMemberIsEnrolledExactlyOnceAfterTheWorkerIsKilledMidEnrolment() throws Exception {
    long began = System.currentTimeMillis();
    CrashHarness.Response created =
        client.post(
            "/api/v1/audiences",
            "{\"name\": \"Crash\", \"filter\": {\"all\": [{\"field\": \"tags\", \"op\": \"eq\","
                + " \"value\": \"crash\"}]}}",
            "application/json");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String audience = created.json().get("audience_id").asString();
    String org =
        jdbc.sql("select organization_id from audiences where id = ?")
            .param(audience)
            .query(String.class)
            .single();
    // Members k00001..k05000, then the others.
    jdbc.sql(
            """
            insert into contacts (organization_id, contact_id, email, first_name, tags, created_at,
                                  updated_at)
            select ?, 'k' || lpad(g::text, 5, '0'), 'k' || g || '@example.com', 'K' || g,
                   case when g <= ? then array['crash'] else array['other'] end, now(), now()
              from generate_series(1, ?) g
            """)
        .params(org, MEMBERS, MEMBERS + OTHERS)
        .update();
    String campaign =
        client.createCampaign(
            """
            {"name": "Audience crash", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello {{first_name|}}"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
             "audience_id": "%s"}
            """
                .formatted(audience));
    // Started for two days ahead: its workflow enrols the members at once, and their sequences
    // wait for the start instead of sending beside the enrolment on the test's two cores.
    client.startCampaignAt(campaign, java.time.Instant.now().plus(java.time.Duration.ofDays(2)));

    ChildJvm worker = startWorker("worker-0");
    long deadline = System.currentTimeMillis() + 120_000;
    while (leads(campaign) == 0) {
      assertThat(worker.isAlive()).as("worker alive, see " + worker.log).isTrue();
      assertThat(System.currentTimeMillis())
          .as("the first member made a lead")
          .isLessThan(deadline);
      Thread.sleep(5);
    }
    worker.kill();
    long leadsAtKill = leads(campaign);
    long startedAtKill = started(campaign);
    System.out.printf(
        "AUDIENCE-CRASH-TEST killed with %d of %d members made leads and %d sequences started%n",
        leadsAtKill, MEMBERS, startedAtKill);

    worker = startWorker("worker-1");
    deadline = System.currentTimeMillis() + 150_000;
    while (leads(campaign) < MEMBERS || started(campaign) < MEMBERS) {
      assertThat(worker.isAlive()).as("worker alive, see " + worker.log).isTrue();
      assertThat(System.currentTimeMillis())
          .as("every member enrolled; leads %d, started %d", leads(campaign), started(campaign))
          .isLessThan(deadline);
      Thread.sleep(200);
    }
    worker.stop(30);
    System.out.printf(
        "AUDIENCE-CRASH-TEST every member enrolled; took %d s; logs %s%n",
        (System.currentTimeMillis() - began) / 1000, OUT.toAbsolutePath());

    assertThat(leadsAtKill).as("killed while members were being made leads").isLessThan(MEMBERS);
    assertThat(startedAtKill).isZero();
    List<Long> counts =
        jdbc.sql(
                """
                select count(*), count(distinct l.lead_id), count(distinct l.contact_pk),
                       count(distinct l.workflow_id), count(*) filter (where c.contact_id = l.lead_id
                       and 'crash' = any(c.tags))
                  from leads l left join contacts c on c.id = l.contact_pk
                 where l.campaign_id = ?
                """)
            .param(campaign)
            .query(
                (rs, row) ->
                    List.of(
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
            .single();
    assertThat(counts)
        .as("leads, distinct lead ids, contacts, workflows, leads that are their member")
        .containsExactly(
            (long) MEMBERS, (long) MEMBERS, (long) MEMBERS, (long) MEMBERS, (long) MEMBERS);
  }

  private static ChildJvm startWorker(String name) throws Exception {
    return deployment.startWorker(
        name,
        smtp.port(),
        "http://127.0.0.1:9",
        List.of(),
        List.of("--server.port=0", "--crash.worker.enrolment-heartbeat-timeout=20s"));
  }

  private static long leads(String campaign) {
    return jdbc.sql("select count(*) from leads where campaign_id = ?")
        .param(campaign)
        .query(Long.class)
        .single();
  }

  /** Leads whose sequence workflow was started and recorded. */
  private static long started(String campaign) {
    return jdbc.sql("select count(*) from leads where campaign_id = ? and workflow_id is not null")
        .param(campaign)
        .query(Long.class)
        .single();
  }
}
