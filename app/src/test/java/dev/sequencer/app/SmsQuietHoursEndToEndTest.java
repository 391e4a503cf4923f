package dev.sequencer.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.temporal.api.testservice.v1.LockTimeSkippingRequest;
import io.temporal.api.testservice.v1.UnlockTimeSkippingRequest;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The calling hours of a US state through the whole service on a time-skipping Temporal server,
 * with SMS handed over to a WireMock server playing Twilio's Messages API: a text to a Florida
 * number due at 20:30 is planned for 08:00 the next morning, for the reason quiet_hours, and handed
 * over then, not at once.
 */
class SmsQuietHoursEndToEndTest {

  private static final String MESSAGES_PATH = TwilioWebhookTest.MESSAGES_PATH;
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static WireMockServer twilio;
  private static RunningService service;

  /** The embedded Temporal test server's own API: its clock and its time skipping. */
  private static TestServiceStubs testService;

  @BeforeAll
  static void start() {
    twilio = new WireMockServer(wireMockConfig().dynamicPort());
    twilio.start();
    List<String> arguments = new ArrayList<>(TwilioWebhookTest.twilioArguments(twilio));
    arguments.add("--sequencer.embedded.temporal-time-skipping=true");
    service = RunningService.start(arguments.toArray(String[]::new));
    testService =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setTarget(
                    "127.0.0.1:"
                        + service
                            .context
                            .getEnvironment()
                            .getProperty("sequencer.embedded.temporal-port"))
                .validateAndBuildWithDefaults());
  }

  @AfterAll
  static void stop() {
    testService.shutdownNow();
    service.context.close();
    twilio.stop();
  }

  @Test
  void aTextToAFloridaNumberAtHalfPastEightPmGoesOutAtEightTheNextMorning() throws Exception {
    String sender = "+14155550190";
    String miami = "+13055550142";
    twilio.stubFor(
        WireMock.post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(
                        TwilioWebhookTest.createdMessage(
                            "SM" + "0".repeat(22) + miami.substring(2), sender, miami))));
    String campaign = service.createOpenSmsCampaign("Florida evening", sender, NEW_YORK);
    // A Miami number and nothing else: its state (FL) and zone come from the area code.
    var imported =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"lead_id\": \"miami-1\", \"phone\": \"%s\", \"first_name\": \"Flo\"}]"
                .formatted(miami));
    assertThat(imported.json().get("accepted").asInt()).as(imported.body()).isEqualTo(1);

    // The next 20:30 in Miami on the Temporal server's clock, which time skipping runs ahead of
    // the wall clock: inside the federal 08:00-21:00, outside Florida's 08:00-20:00.
    ZonedDateTime evening = nextHalfPastEight(temporalTime().plus(Duration.ofMinutes(5)));
    Instant morning = evening.toLocalDate().plusDays(1).atTime(8, 0).atZone(NEW_YORK).toInstant();
    String leadPath = "/api/v1/campaigns/" + campaign + "/leads/miami-1";

    // Time stands still until the plan has been read: the lead is enrolled at once, its sequence
    // starting at 20:30, and once sent a step no longer shows why it was moved.
    testService.blockingStub().lockTimeSkipping(LockTimeSkippingRequest.getDefaultInstance());
    try {
      assertThat(
              service
                  .post(
                      "/api/v1/campaigns/" + campaign + "/start",
                      "{\"start_at\": \"" + evening.toInstant() + "\"}")
                  .status())
          .isEqualTo(202);
      JsonNode planned = await(() -> service.get(leadPath).json(), l -> !l.get("steps").isEmpty());
      assertThat(planned.get("timezone").asString()).isEqualTo("America/New_York");
      JsonNode hook = planned.get("steps").get(0);
      assertThat(hook.get("status").asString()).isEqualTo("scheduled");
      assertThat(hook.get("reason").asString()).isEqualTo("quiet_hours");
      assertThat(Instant.parse(hook.get("scheduled_at").asString())).isEqualTo(morning);
      assertThat(twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).isEmpty();
    } finally {
      testService.blockingStub().unlockTimeSkipping(UnlockTimeSkippingRequest.getDefaultInstance());
    }

    JsonNode sent =
        await(
            () -> service.get(leadPath).json(),
            l -> "sent".equals(l.get("steps").get(0).get("status").asString()));
    // Handed over once, when the morning's timer fired (and the moment the send took).
    assertThat(Instant.parse(sent.get("steps").get(0).get("sent_at").asString()))
        .isBetween(morning, morning.plusSeconds(60));
    List<LoggedRequest> handedOver =
        twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
    assertThat(handedOver).hasSize(1);
    assertThat(handedOver.get(0).getBodyAsString()).contains("To=%2B13055550142");
  }

  private static ZonedDateTime nextHalfPastEight(Instant after) {
    ZonedDateTime local = after.atZone(NEW_YORK);
    ZonedDateTime evening = local.with(LocalTime.of(20, 30));
    return evening.isAfter(local) ? evening : evening.plusDays(1);
  }

  /** The embedded Temporal test server's clock. */
  private static Instant temporalTime() {
    Timestamp time =
        testService.blockingStub().getCurrentTime(Empty.getDefaultInstance()).getTime();
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
  }
}
