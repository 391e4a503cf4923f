package dev.sequencer.activities.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TwilioSmsSender} on the real Twilio SDK, talking HTTP to WireMock in the part of Twilio's
 * Messages API, through {@link RebasedTwilioHttpClient}.
 */
class TwilioSmsSenderTest {

  static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
  static final String AUTH_TOKEN = "s3cr3t-auth-token";
  static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
  static final String MESSAGE_SID = "SM9f2c1a7e4b3d4c5e8a6b7c8d9e0f1a2b";

  @RegisterExtension
  static final WireMockExtension twilio =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private TwilioSmsSender sender;

  @BeforeEach
  void setUp() {
    TwilioRestClient client =
        new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN)
            .httpClient(new RebasedTwilioHttpClient(twilio.baseUrl()))
            .build();
    sender = new TwilioSmsSender(client);
  }

  @Test
  void createsTheMessageWithBasicAuthAndReturnsItsSid() {
    twilio.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(
                        createdMessage(
                            MESSAGE_SID, "+15005550006", "+14155550100", "Hi Tex & co, 10% off"))));

    SmsReceipt receipt =
        sender.send(
            new OutboundSms(
                "+15005550006",
                "+14155550100",
                "Hi Tex & co, 10% off",
                "https://sequencer.test/webhooks/twilio/status"));

    assertThat(receipt.providerId()).isEqualTo(MESSAGE_SID);
    assertThat(receipt.dryRun()).isFalse();
    List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
    assertThat(requests).hasSize(1);
    LoggedRequest request = requests.get(0);
    assertThat(request.getHeader("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)));
    assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(form(request))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "To", "+14155550100",
                "From", "+15005550006",
                "Body", "Hi Tex & co, 10% off",
                "StatusCallback", "https://sequencer.test/webhooks/twilio/status"));
    // WireMock's own matcher agrees that the credentials are the account SID and token.
    twilio.verify(
        1,
        postRequestedFor(urlPathEqualTo(MESSAGES_PATH))
            .withBasicAuth(
                new com.github.tomakehurst.wiremock.client.BasicCredentials(
                    ACCOUNT_SID, AUTH_TOKEN)));
  }

  @Test
  void withoutACallbackUrlNoStatusCallbackIsSent() {
    twilio.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(createdMessage(MESSAGE_SID, "+15005550006", "+14155550100", "Hi"))));

    SmsReceipt receipt = sender.send(new OutboundSms("+15005550006", "+14155550100", "Hi", null));

    assertThat(receipt.providerId()).isEqualTo(MESSAGE_SID);
    Map<String, String> form = form(twilio.getAllServeEvents().get(0).getRequest());
    assertThat(form).containsOnlyKeys("To", "From", "Body");
  }

  @Test
  void anInvalidToNumberIsAPermanentFailure() {
    stubError(
        400,
        "{\"code\": 21211, \"message\": \"The 'To' number +1555 is not a valid phone number.\","
            + " \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}");

    Throwable thrown = catchThrowable(() -> sender.send(sms("+1555")));

    assertThat(thrown).isInstanceOf(PermanentSendFailure.class);
    PermanentSendFailure failure = (PermanentSendFailure) thrown;
    assertThat(failure.code()).isEqualTo("21211");
    assertThat(failure.getMessage())
        .isEqualTo("The 'To' number +1555 is not a valid phone number.");
    assertThat(failure.getCause()).isInstanceOf(ApiException.class);
    assertThat(twilio.getAllServeEvents()).hasSize(1);
  }

  @Test
  void anUnsubscribedRecipientIsAPermanentFailure() {
    stubError(
        400,
        "{\"code\": 21610, \"message\": \"Attempt to send to unsubscribed recipient\","
            + " \"more_info\": \"https://www.twilio.com/docs/errors/21610\", \"status\": 400}");

    Throwable thrown = catchThrowable(() -> sender.send(sms("+14155550199")));

    assertThat(thrown).isInstanceOf(PermanentSendFailure.class);
    assertThat(((PermanentSendFailure) thrown).code()).isEqualTo("21610");
    assertThat(thrown.getMessage()).isEqualTo("Attempt to send to unsubscribed recipient");
    assertThat(twilio.getAllServeEvents()).hasSize(1);
  }

  @Test
  void aServerErrorIsNotPermanentSoTheActivityIsRetried() {
    stubError(
        500,
        "{\"code\": 20500, \"message\": \"Internal Server Error\","
            + " \"more_info\": \"https://www.twilio.com/docs/errors/20500\", \"status\": 500}");

    Throwable thrown = catchThrowable(() -> sender.send(sms("+14155550100")));

    assertThat(thrown).isInstanceOf(ApiException.class).isNotInstanceOf(PermanentSendFailure.class);
    assertThat(((ApiException) thrown).getCode()).isEqualTo(20500);
    assertThat(((ApiException) thrown).getStatusCode()).isEqualTo(500);
    // The SDK repeats any 5xx itself (HttpClient.reliableRequest: 3 tries, 100 ms apart in 13.x)
    // before giving up; how often is the SDK's business, that it gives up and throws is ours.
    assertThat(twilio.getAllServeEvents()).hasSizeBetween(1, 3);
  }

  @Test
  void aGatewayErrorWithoutTwilioJsonIsNotPermanent() {
    // A 502 from a proxy in front of the API rather than from the API: no Twilio error JSON.
    twilio.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(502)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")));

    Throwable thrown = catchThrowable(() -> sender.send(sms("+14155550100")));

    assertThat(thrown).isInstanceOf(ApiException.class).isNotInstanceOf(PermanentSendFailure.class);
    assertThat(((ApiException) thrown).getCode()).isNull();
    assertThat(twilio.getAllServeEvents()).hasSizeBetween(1, 3);
  }

  @Test
  void serviceUnavailableWithTwilioJsonIsNotPermanent() {
    stubError(
        503,
        "{\"code\": 20503, \"message\": \"Service Unavailable\","
            + " \"more_info\": \"https://www.twilio.com/docs/errors/20503\", \"status\": 503}");

    Throwable thrown = catchThrowable(() -> sender.send(sms("+14155550100")));

    assertThat(thrown).isInstanceOf(ApiException.class).isNotInstanceOf(PermanentSendFailure.class);
    assertThat(((ApiException) thrown).getCode()).isEqualTo(20503);
    assertThat(((ApiException) thrown).getStatusCode()).isEqualTo(503);
    // One attempt: retrying is Temporal's job, after the activity's idempotency check.
    assertThat(twilio.getAllServeEvents()).hasSize(1);
  }

  @Test
  void tooManyRequestsIsNotPermanent() {
    stubError(
        429,
        "{\"code\": 20429, \"message\": \"Too Many Requests\","
            + " \"more_info\": \"https://www.twilio.com/docs/errors/20429\", \"status\": 429}");

    Throwable thrown = catchThrowable(() -> sender.send(sms("+14155550100")));

    assertThat(thrown).isInstanceOf(ApiException.class).isNotInstanceOf(PermanentSendFailure.class);
    assertThat(((ApiException) thrown).getStatusCode()).isEqualTo(429);
    assertThat(twilio.getAllServeEvents()).hasSize(1);
  }

  // --- helpers ---

  private static OutboundSms sms(String to) {
    return new OutboundSms(
        "+15005550006", to, "Hello", "https://sequencer.test/webhooks/twilio/status");
  }

  private static void stubError(int status, String body) {
    twilio.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  /** The url-encoded form of a request, one value per name. */
  static Map<String, String> form(LoggedRequest request) {
    Map<String, String> form = new HashMap<>();
    String body = request.getBodyAsString();
    if (body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      assertThat(form.put(name, value)).as("form field %s given once", name).isNull();
    }
    return form;
  }

  /** The body of Twilio's 201 answer to a message create, as the API returns it. */
  static String createdMessage(String sid, String from, String to, String body) {
    String uri = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid;
    return """
        {
          "account_sid": "%s",
          "api_version": "2010-04-01",
          "body": "%s",
          "date_created": "Wed, 10 Feb 2027 15:00:00 +0000",
          "date_sent": null,
          "date_updated": "Wed, 10 Feb 2027 15:00:00 +0000",
          "direction": "outbound-api",
          "error_code": null,
          "error_message": null,
          "from": "%s",
          "messaging_service_sid": null,
          "num_media": "0",
          "num_segments": "1",
          "price": null,
          "price_unit": "USD",
          "sid": "%s",
          "status": "queued",
          "subresource_uris": {"media": "%s/Media.json"},
          "to": "%s",
          "uri": "%s.json"
        }
        """
        .formatted(ACCOUNT_SID, body, from, sid, uri, to, uri);
  }
}
