package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.api.error.UnprocessableException;
import dev.sequencer.api.sender.SenderOwnership;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Sender;
import dev.sequencer.store.sender.Senders;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

/**
 * Senders belong to organizations (API.md, "Production mode" and "Senders"): a campaign sends only
 * from an address or number its organization registered, registered on first use in development,
 * and never from another organization's.
 */
class SenderOwnershipTest {

  private static final AtomicInteger UNIQUE = new AtomicInteger();

  private final RunningService service = RunningService.get();

  @Test
  void anInlineSenderIsRegisteredOnFirstUseAndAnotherOrganizationCannotUseIt() {
    String address = address("ada");
    RunningService.Organization owner = service.newOrganization("Owner " + address);
    RunningService.Organization other = service.newOrganization("Other " + address);

    var created = createCampaign(owner, "{\"email\": \"" + address.toUpperCase() + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    var senders = service.call("GET", "/api/v1/senders", owner.adminKey(), null).json();
    assertThat(senders.get("total").asLong()).isEqualTo(1);
    assertThat(senders.get("senders").get(0).get("email").asString()).isEqualTo(address);
    assertThat(senders.get("senders").get(0).get("registered_by").asString())
        .isEqualTo("first_use");
    // A second campaign of the owner from the same address registers nothing new.
    assertThat(createCampaign(owner, "{\"email\": \"" + address + "\"}").status()).isEqualTo(201);
    assertThat(
            service
                .call("GET", "/api/v1/senders", owner.adminKey(), null)
                .json()
                .get("total")
                .asLong())
        .isEqualTo(1);

    var taken = createCampaign(other, "{\"email\": \"" + address + "\"}");
    assertUnprocessable(taken, "sender.email");
    var asReplyTo =
        createCampaign(
            other, "{\"email\": \"" + address("other") + "\", \"reply_to\": \"" + address + "\"}");
    assertUnprocessable(asReplyTo, "sender.reply_to");
    var registered =
        service.call(
            "POST",
            "/api/v1/senders",
            other.adminKey(),
            "{\"channel\": \"email\", \"email\": \"" + address + "\"}");
    assertUnprocessable(registered, "email");
    assertThat(campaignsOf(other.id())).isZero();
    assertThat(
            service
                .call("GET", "/api/v1/senders", other.adminKey(), null)
                .json()
                .get("total")
                .asLong())
        .isZero();
  }

  @Test
  void aPatchToAnotherOrganizationsSenderIsRefusedAndChangesNothing() {
    String taken = address("taken");
    RunningService.Organization owner = service.newOrganization("Owner " + taken);
    RunningService.Organization other = service.newOrganization("Other " + taken);
    assertThat(createCampaign(owner, "{\"email\": \"" + taken + "\"}").status()).isEqualTo(201);
    String own = address("own");
    var draft = createCampaign(other, "{\"email\": \"" + own + "\"}");
    String campaign = draft.json().get("campaign_id").asString();

    var patched =
        service.call(
            "PATCH",
            "/api/v1/campaigns/" + campaign,
            other.adminKey(),
            "{\"sender\": {\"email\": \"" + taken + "\"}}");

    assertUnprocessable(patched, "sender.email");
    var after = service.call("GET", "/api/v1/campaigns/" + campaign, other.adminKey(), null);
    assertThat(after.json().get("sender").get("email").asString()).isEqualTo(own);
    assertThat(after.json().get("revision").asInt()).isEqualTo(1);
  }

  @Test
  void registeredSendersAreListedFoundAndDeletedWhenNoCampaignSendsFromThem() {
    RunningService.Organization org = service.newOrganization("Senders " + UNIQUE.get());
    String phone = String.format("+1415555%04d", 7000 - UNIQUE.incrementAndGet());
    var registered =
        service.call(
            "POST",
            "/api/v1/senders",
            org.adminKey(),
            "{\"channel\": \"sms\", \"phone\": \"" + phone + "\"}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    String id = registered.json().get("sender_id").asString();
    assertThat(id).startsWith("snd_");
    assertThat(registered.headers().firstValue("Location")).hasValue("/api/v1/senders/" + id);
    assertThat(registered.json().get("phone").asString()).isEqualTo(phone);
    assertThat(registered.json().get("status").asString()).isEqualTo("active");
    assertThat(registered.json().get("registered_by").asString()).isEqualTo("api");

    var again =
        service.call(
            "POST",
            "/api/v1/senders",
            org.adminKey(),
            "{\"channel\": \"sms\", \"phone\": \"" + phone + "\"}");
    assertThat(again.status()).isEqualTo(409);

    String email = address("pool");
    var inUse = createCampaign(org, "{\"email\": \"" + email + "\"}");
    String emailSender =
        service
            .call("GET", "/api/v1/senders", org.adminKey(), null)
            .json()
            .get("senders")
            .valueStream()
            .filter(s -> email.equals(s.path("email").asString(null)))
            .findFirst()
            .orElseThrow()
            .get("sender_id")
            .asString();
    var refused = service.call("DELETE", "/api/v1/senders/" + emailSender, org.adminKey(), null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains(inUse.json().get("campaign_id").asString());

    assertThat(service.call("GET", "/api/v1/senders/" + id, org.adminKey(), null).status())
        .isEqualTo(200);
    assertThat(service.call("DELETE", "/api/v1/senders/" + id, org.adminKey(), null).status())
        .isEqualTo(204);
    assertThat(service.call("GET", "/api/v1/senders/" + id, org.adminKey(), null).status())
        .isEqualTo(404);
  }

  @Test
  void badSenderBodiesAreRefusedNamingTheField() {
    RunningService.Organization org = service.newOrganization("Bad senders");
    String[][] cases = {
      {"{\"channel\": \"fax\", \"email\": \"a@b.test\"}", "channel"},
      {"{\"channel\": \"email\"}", "email"},
      {"{\"channel\": \"email\", \"email\": \"not an address\"}", "email"},
      {"{\"channel\": \"email\", \"email\": \"a@b.test\", \"phone\": \"+14155550123\"}", "phone"},
      {"{\"channel\": \"sms\", \"phone\": \"12\"}", "phone"},
      {
        "{\"channel\": \"email\", \"email\": \"a@b.test\", \"name\": \"Ada\\r\\nBcc: x@y.test\"}",
        "name"
      },
    };
    for (String[] c : cases) {
      var response = service.call("POST", "/api/v1/senders", org.adminKey(), c[0]);
      assertThat(response.status()).as(c[0]).isEqualTo(400);
      assertThat(response.json().get("errors").get(0).get("field").asString())
          .as(c[0])
          .isEqualTo(c[1]);
    }
    assertThat(
            service
                .call("GET", "/api/v1/senders", org.adminKey(), null)
                .json()
                .get("total")
                .asLong())
        .isZero();
  }

  private RunningService.Response createCampaign(RunningService.Organization org, String sender) {
    return service.call(
        "POST",
        "/api/v1/campaigns",
        org.adminKey(),
        "{\"name\": \"Owned\", \"channel\": \"email\", \"sender\": " + sender + "}");
  }

  private long campaignsOf(String organization) {
    return service
        .bean(JdbcClient.class)
        .sql("select count(*) from campaigns where organization_id = ?")
        .param(organization)
        .query(Long.class)
        .single();
  }

  private static String address(String local) {
    return local + "-" + UNIQUE.incrementAndGet() + "@owned" + System.nanoTime() + ".test";
  }

  @Test
  void inProductionAnUnregisteredSenderIsRefusedAndRegistersNothing() {
    Senders senders = service.bean(Senders.class);
    String org = service.newOrganization("Production sender").id();
    SenderOwnership production =
        new SenderOwnership(
            senders, new MockEnvironment().withProperty("sequencer.env", "production"));
    String address = address("prod");

    assertThatThrownBy(
            () -> production.claim(org, Channel.EMAIL, new Sender(address, "Ada", null, null)))
        .isInstanceOfSatisfying(
            UnprocessableException.class,
            e -> {
              assertThat(e.errors().get(0).field()).isEqualTo("sender.email");
              assertThat(e.errors().get(0).message()).contains("POST /api/v1/senders");
            });
    assertThat(senders.byAddress(Channel.EMAIL, address)).isEmpty();

    senders.register(org, Channel.EMAIL, address, "Ada", "api");
    production.claim(org, Channel.EMAIL, new Sender(address, "Ada", null, null));
    assertThat(senders.count(org)).isEqualTo(1);
  }

  static void assertUnprocessable(RunningService.Response response, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(422);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
  }
}
