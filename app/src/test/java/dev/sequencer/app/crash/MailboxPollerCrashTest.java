package dev.sequencer.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.sequencer.workflows.mailbox.MailboxPollerWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A mailbox's poller outlives the api replica that started it: the replica is killed with SIGKILL,
 * another replica starts, and mail that arrives after the kill is read by the same poller workflow,
 * once.
 */
@Execution(ExecutionMode.CONCURRENT)
class MailboxPollerCrashTest {

  private static final Path OUT = Path.of("target", "mailbox-crash");
  private static final String INBOX = "replies@crash.test";
  private static final String API_KEY = "mailbox-crash-api-key";
  private static final String TOKEN_SECRET = "mailbox-crash-token-secret-0123456789abcdef";

  @Test
  void aKilledReplicasPollerGoesOnInAnother() throws Exception {
    Files.createDirectories(OUT);
    int smtpPort = CrashHarness.freePort();
    int imapPort = CrashHarness.freePort();
    GreenMail mail =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
              new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
            });
    mail.start();
    mail.setUser(INBOX, INBOX, INBOX);
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        SplitDeployment deployment =
            new SplitDeployment(
                OUT, postgres.getJdbcUrl("postgres", "postgres"), API_KEY, TOKEN_SECRET)) {
      JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
      deployment.startTemporal("256m");
      // Real time while the first replica polls: its timers would otherwise be skipped.
      deployment.lockTimeSkipping();
      List<String> imap =
          List.of(
              "--sequencer.imap.host=127.0.0.1",
              "--sequencer.imap.port=" + imapPort,
              "--sequencer.imap.username=" + INBOX,
              "--sequencer.imap.password=" + INBOX,
              "--sequencer.imap.ssl=false",
              "--sequencer.imap.poll-interval=1s",
              "--sequencer.imap.max-back-off=2s",
              "--sequencer.imap.poller-check=1s",
              "--sequencer.imap.initial-delay=1s",
              "--sequencer.imap.poller-sticky=false");
      ChildJvm first =
          deployment.startApiProcess(
              "api-first", concat(imap, "--server.port=" + CrashHarness.freePort()));
      WorkflowServiceStubs temporal =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + deployment.temporalPort())
                  .build());
      String workflowId = MailboxPollerWorkflow.workflowId("127.0.0.1/" + INBOX);
      try {
        deliver(smtpPort, "before@example.com", "Before the crash");
        await(first, () -> processed(jdbc) == 1);
        assertThat(status(temporal, workflowId))
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

        first.kill();
        Instant killed = Instant.now();
        // A read in flight at the kill times out on the server's clock: let it skip there.
        deployment.unlockTimeSkipping();
        deployment.startApi(imap);
        deliver(smtpPort, "after@example.com", "After the crash");

        await(first, () -> processed(jdbc) == 2);
        assertThat(status(temporal, workflowId))
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        assertThat(
                jdbc.sql(
                        "select count(*) from inbound_messages where from_address = 'after@example.com'"
                            + " and received_at > ?")
                    .param(java.sql.Timestamp.from(killed))
                    .query(Long.class)
                    .single())
            .isEqualTo(1);
      } finally {
        temporal.shutdownNow();
      }
    } finally {
      mail.stop();
    }
  }

  private static List<String> concat(List<String> settings, String more) {
    List<String> all = new java.util.ArrayList<>(settings);
    all.add(more);
    return all;
  }

  private static WorkflowExecutionStatus status(WorkflowServiceStubs temporal, String workflowId) {
    return temporal
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getWorkflowExecutionInfo()
        .getStatus();
  }

  /** Mail processed so far; -1 while the first replica has not created the tables yet. */
  private static long processed(JdbcClient jdbc) {
    try {
      return jdbc.sql("select count(*) from inbound_messages").query(Long.class).single();
    } catch (org.springframework.dao.DataAccessException notMigratedYet) {
      return -1;
    }
  }

  private static void await(ChildJvm process, BooleanSupplier done) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    while (!done.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not reached within 120 s; see " + process.log);
      }
      Thread.sleep(200);
    }
  }

  private static void deliver(int smtpPort, String from, String subject) throws Exception {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", "127.0.0.1");
    properties.put("mail.smtp.port", String.valueOf(smtpPort));
    MimeMessage message = new MimeMessage(Session.getInstance(properties));
    message.setFrom(new InternetAddress(from));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(INBOX));
    message.setSubject(subject);
    message.setText("Hello");
    Transport.send(message);
  }
}
