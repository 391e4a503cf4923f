package dev.sequencer.api.inbound.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.app.SequencerApplication;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.workflows.mailbox.MailboxActivities;
import dev.sequencer.workflows.mailbox.MailboxPollerWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A mailbox is read by one poller workflow, however many api replicas ask for one: a second replica
 * (its own worker on the pollers' task queue) finds the poller running and leaves it be, and what
 * arrives is read by that poller.
 */
class MailboxPollersTest {

  private static final String INBOX = "replies@pollers.test";

  private static ConfigurableApplicationContext context;
  private static int smtpPort;

  @BeforeAll
  static void start() throws IOException {
    smtpPort = freePort();
    context =
        SequencerApplication.start(
            "--server.port=0",
            "--sequencer.embedded.temporal-port=" + freePort(),
            "--sequencer.embedded.smtp-port=" + smtpPort,
            "--sequencer.embedded.imap-port=" + freePort(),
            "--sequencer.imap.username=" + INBOX,
            "--sequencer.imap.password=" + INBOX,
            "--sequencer.imap.poll-interval=1s",
            "--sequencer.imap.max-back-off=2s",
            "--sequencer.imap.poller-check=1s",
            "--spring.main.banner-mode=off");
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @Test
  void aSecondReplicaLeavesTheRunningPollerBeAndMailIsReadOnce() throws Exception {
    deliver("first@example.com", "Hello", "A question about your offer.");
    JdbcClient jdbc = context.getBean(JdbcClient.class);
    ImapPoller mailboxes = context.getBean(ImapPoller.class);
    String key = mailboxes.mailboxes().get(0).key();
    await(() -> processed(jdbc) == 1);
    WorkflowExecutionInfo first = describe(key);
    assertThat(first.getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    MailboxPollers replica =
        new MailboxPollers(
            context.getBean(WorkflowClient.class),
            mailboxes,
            context.getBean(MailboxActivities.class),
            context.getBean(SequencerProperties.class),
            "workflow",
            Duration.ofSeconds(2),
            true);
    replica.start();
    try {
      replica.ensurePollers();
      replica.ensurePollers();
      deliver("second@example.com", "Re: Hello", "Yes, tell me more.");
      await(() -> processed(jdbc) == 2);

      WorkflowExecutionInfo still = describe(key);
      assertThat(still.getExecution().getRunId()).isEqualTo(first.getExecution().getRunId());
      assertThat(still.getStatus())
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    } finally {
      replica.stop();
    }
  }

  private static WorkflowExecutionInfo describe(String key) {
    WorkflowClient client = context.getBean(WorkflowClient.class);
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(
                    WorkflowExecution.newBuilder()
                        .setWorkflowId(MailboxPollerWorkflow.workflowId(key)))
                .build())
        .getWorkflowExecutionInfo();
  }

  private static long processed(JdbcClient jdbc) {
    return jdbc.sql("select count(*) from inbound_messages").query(Long.class).single();
  }

  private static void await(BooleanSupplier done) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (!done.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not reached within 60 s");
      }
      Thread.sleep(100);
    }
  }

  private static void deliver(String from, String subject, String body) throws Exception {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", "127.0.0.1");
    properties.put("mail.smtp.port", String.valueOf(smtpPort));
    MimeMessage message = new MimeMessage(Session.getInstance(properties));
    message.setFrom(new InternetAddress(from));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(INBOX));
    message.setSubject(subject);
    message.setText(body);
    Transport.send(message);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
