package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.testserver.TimerLockLog;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embedded default's own Temporal server and its API, as one machine's service. */
class EmbeddedTemporalTest {

  private final RunningService service = RunningService.get();

  @Test
  void theClocksLockLogStaysEmptyWhileCampaignsRun() throws Exception {
    var temporal = service.bean(EmbeddedInfrastructure.class).embeddedTemporal();
    assertThat(temporal).as("the embedded default runs its own Temporal server").isNotNull();
    String campaign = service.createOpenEmailCampaign("Lock log");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"l-1\", \"email\": \"l1@locks.test\"},"
            + " {\"lead_id\": \"l-2\", \"email\": \"l2@locks.test\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    ControlApiTest.await(() -> service.sentMessages(campaign), sent -> sent == 2);

    // The server's own log would hold at least the lock its constructor takes, and two entries for
    // every workflow and activity task since.
    assertThat(TimerLockLog.entries(temporal)).isZero();
  }

  @Test
  void theServiceReachesItsServerUncompressedAndOthersThroughTheSamePort() throws Exception {
    WorkflowServiceStubsOptions own =
        service.bean(WorkflowClient.class).getWorkflowServiceStubs().getOptions();
    String target = service.context.getEnvironment().getProperty("sequencer.embedded.temporal");
    assertThat(own.getTarget()).isEqualTo(target);
    assertThat(own.getGrpcCompression()).isEqualTo(GrpcCompression.NONE);

    String campaign = service.createOpenEmailCampaign("Loopback client");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"l-1\", \"email\": \"l1@loopback.test\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    ControlApiTest.await(() -> service.sentMessages(campaign), sent -> sent == 1);
    WorkflowServiceStubs outside =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    try {
      String workflowId = LeadSequenceWorkflow.workflowId(campaign, "l-1");
      var history = WorkflowClient.newInstance(outside).fetchHistory(workflowId);
      assertThat(history.getEvents())
          .as("the lead's history, read over the loopback port")
          .isNotEmpty();
    } finally {
      outside.shutdownNow();
    }
  }

  @Test
  void theApiAndTheTemporalFrontendListenOnTheLoopbackInterfaceOnly() throws Exception {
    int api = Integer.parseInt(service.context.getEnvironment().getProperty("local.server.port"));
    String temporal = service.context.getEnvironment().getProperty("sequencer.embedded.temporal");
    int temporalPort = Integer.parseInt(temporal.substring(temporal.lastIndexOf(':') + 1));
    assertThat(service.context.getEnvironment().getProperty("server.address"))
        .isEqualTo("127.0.0.1");
    for (int port : new int[] {api, temporalPort}) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      }
      Optional<InetAddress> outside = nonLoopbackAddress();
      if (outside.isPresent()) {
        assertThatThrownBy(
                () -> {
                  try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(outside.get(), port), 2000);
                  }
                })
            .as("port %d on %s", port, outside.get())
            .isInstanceOf(IOException.class);
      }
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
