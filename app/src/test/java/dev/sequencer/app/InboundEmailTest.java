package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.suppression.Suppressions;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.http.HttpRequest;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Replies, bounces and unsubscribes that come back by email, read by the IMAP poller from the
 * sender's mailbox in the embedded GreenMail, and the one-click unsubscribe and tracking links.
 */
class InboundEmailTest {

  /*
   * A sender of this class's own: its permanent bounce counts towards the sender's bounce rate,
   * which must not auto-pause the sender the other tests of the shared service send from.
   */

  private final RunningService service = RunningService.get();

  @Test
  void aReplyThreadedByInReplyToEndsTheSequence() throws Exception {
    Sent hook = startAndAwaitHook("reply", "rita.reply@example.com");
    sendMail(
        "rita.reply@example.com",
        "Re: " + hook.subject(),
        "Sounds good, let's talk on Tuesday.\n\nOn Mon, Ada <ada.inbound@acme.test> wrote:\n> "
            + hook.subject(),
        hook.messageId());

    JsonNode lead =
        await(
            () -> lead(hook.campaign(), "reply"),
            l -> "replied".equals(l.get("status").asString()));
    assertThat(lead.get("timeline").toString()).contains("replied", "interested");
    JsonNode ended =
        await(
            () -> lead(hook.campaign(), "reply"),
            l -> "skipped".equals(l.get("steps").get(1).get("status").asString()));
    assertThat(ended.get("steps").get(1).get("reason").asString()).isEqualTo("replied");
    // One entry for the reply, with what it said; none more when the sequence then ends.
    assertThat(
            ended
                .get("timeline")
                .valueStream()
                .filter(e -> e.get("event").asString().equals("replied"))
                .map(e -> e.get("detail").asString())
                .toList())
        .singleElement()
        .asString()
        .startsWith("interested: ");
  }

  @Test
  void aPermanentBounceMarksTheLeadBouncedAndSuppressesTheAddress() throws Exception {
    Sent hook = startAndAwaitHook("bounce", "nobody.bounce@example.com");
    sendDeliveryReport("5.1.1", "nobody.bounce@example.com", hook.messageId());

    await(() -> lead(hook.campaign(), "bounce"), l -> "bounced".equals(l.get("status").asString()));
    assertThat(
            service
                .bean(Suppressions.class)
                .isSuppressed("org_default", "EMAIL", "nobody.bounce@example.com"))
        .isTrue();
    String source =
        service
            .bean(JdbcClient.class)
            .sql("select source from suppressions where address = 'nobody.bounce@example.com'")
            .query(String.class)
            .single();
    assertThat(source).isEqualTo("bounce");
  }

  @Test
  void aTemporaryBounceIsOnlyRecorded() throws Exception {
    Sent hook = startAndAwaitHook("soft", "full.mailbox@example.com");
    sendDeliveryReport("4.2.2", "full.mailbox@example.com", hook.messageId());

    JsonNode lead =
        await(
            () -> lead(hook.campaign(), "soft"),
            l -> l.get("timeline").toString().contains("bounce_temporary"));
    assertThat(lead.get("status").asString()).isEqualTo("active");
    assertThat(
            service
                .bean(Suppressions.class)
                .isSuppressed("org_default", "EMAIL", "full.mailbox@example.com"))
        .isFalse();
  }

  @Test
  void oneClickUnsubscribeAndTheConfirmationPage() throws Exception {
    Sent hook = startAndAwaitHook("oneclick", "one.click@example.com");
    String url = hook.unsubscribeUrl();
    String path = url.substring(url.indexOf("/unsubscribe/"));

    var page = service.send(service.request(path, null).GET());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("one.click@example.com", "<form method=\"post\"");
    // Not to be framed, no Referer with the token, and nothing runs but the page's own style.
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("default-src 'none'", "frame-ancestors 'none'");
    String style = page.body().replaceAll("(?s).*<style>(.*)</style>.*", "$1");
    String styleHash =
        java.util.Base64.getEncoder()
            .encodeToString(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(style.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(policy).contains("style-src 'sha256-" + styleHash + "'");
    assertThat(page.body()).doesNotContain("<script");
    assertThat(lead(hook.campaign(), "oneclick").get("status").asString()).isEqualTo("active");

    String forged = path.substring(0, path.length() - 3) + (path.endsWith("AAA") ? "BBB" : "AAA");
    var rejected =
        service.send(
            service
                .request(forged, null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
    assertThat(rejected.status()).isEqualTo(404);
    assertThat(lead(hook.campaign(), "oneclick").get("status").asString()).isEqualTo("active");

    var done =
        service.send(
            service
                .request(path, null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
    assertThat(done.status()).isEqualTo(200);
    assertThat(lead(hook.campaign(), "oneclick").get("status").asString()).isEqualTo("opted_out");
    String source =
        service
            .bean(JdbcClient.class)
            .sql("select source from suppression_audit where address = 'one.click@example.com'")
            .query(String.class)
            .single();
    assertThat(source).isEqualTo("link");
  }

  @Test
  void anUnsubscribeMailToTheListUnsubscribeAddressOptsOut() throws Exception {
    Sent hook = startAndAwaitHook("mailto", "mail.to@example.com");
    String mailto = hook.listUnsubscribe().replaceAll(".*<mailto:([^>]+)>.*", "$1");
    String subject =
        java.net.URLDecoder.decode(
            mailto.substring(mailto.indexOf("subject=") + "subject=".length()),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(subject).startsWith("unsubscribe ");
    sendMail("mail.to@example.com", subject, "", null);

    await(
        () -> lead(hook.campaign(), "mailto"), l -> "opted_out".equals(l.get("status").asString()));
  }

  @Test
  void theOpenPixelCountsOnceAndClicksOnlyLeadToTheMessagesLinks() throws Exception {
    Sent hook = startAndAwaitHook("track", "track.me@example.com");
    String pixel = hook.html().replaceAll("(?s).*<img src=\"[^\"]*(/t/o/[^\"]+)\".*", "$1");
    String click = hook.html().replaceAll("(?s).*<a href=\"[^\"]*(/t/c/[^\"]+)\".*", "$1");

    assertThat(service.send(service.request(pixel, null).GET()).contentType())
        .isEqualTo("image/gif");
    assertThat(service.send(service.request(pixel, null).GET()).status()).isEqualTo(200);
    var redirect = service.send(service.request(click, null).GET());
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location"))
        .contains("https://acme.test/case-study?ref=mail&x=1");
    String altered = click.substring(0, click.length() - 2) + (click.endsWith("xy") ? "yx" : "xy");
    assertThat(service.send(service.request(altered, null).GET()).status()).isEqualTo(404);
    assertThat(service.send(service.request("/t/c/not-a-token", null).GET()).status())
        .isEqualTo(404);

    JsonNode lead = lead(hook.campaign(), "track");
    String timeline = lead.get("timeline").toString();
    assertThat(timeline.split("\"opened\"", -1)).hasSize(2);
    assertThat(timeline).contains("\"clicked\"", "https://acme.test/case-study?ref=mail&x=1");
  }

  @Test
  void repliesFromOtherSourcesAreMatchedAndClassified() throws Exception {
    Sent hook = startAndAwaitHook("api-reply", "api.reply@example.com");
    var threaded =
        service.post(
            "/api/v1/replies",
            "{\"channel\": \"email\", \"from\": \"someone.else@example.com\", \"in_reply_to\": \""
                + hook.messageId().replace("\"", "")
                + "\", \"body\": \"I am out of the office until March 3, 2027.\", \"subject\": \"Out of Office\"}");
    assertThat(threaded.status()).as(threaded.body()).isEqualTo(202);
    assertThat(threaded.json().get("classification").asString()).isEqualTo("out_of_office");
    assertThat(threaded.json().get("matched").get(0).get("lead_id").asString())
        .isEqualTo("api-reply");
    assertThat(threaded.json().get("return_date").asString()).isEqualTo("2027-03-03");

    var byAddress =
        service.post(
            "/api/v1/replies",
            "{\"channel\": \"email\", \"from\": \"API.Reply@example.com\", \"body\": \"Please remove me from your list.\"}");
    assertThat(byAddress.json().get("classification").asString()).isEqualTo("unsubscribe");
    await(
        () -> lead(hook.campaign(), "api-reply"),
        l -> "opted_out".equals(l.get("status").asString()));

    var unknown =
        service.post(
            "/api/v1/replies",
            "{\"channel\": \"email\", \"from\": \"stranger@example.com\", \"body\": \"Who are you?\"}");
    assertThat(unknown.json().get("matched").size()).isZero();
    CampaignApiTest.assertInvalid(
        service.post("/api/v1/replies", "{\"channel\": \"fax\", \"body\": \"x\"}"), "channel");
    CampaignApiTest.assertInvalid(
        service.post("/api/v1/replies", "{\"from\": \"a@b.test\"}"), "body");
  }

  @Test
  void aReplyStopsTheWholeCompanyWhenTheCampaignSaysSo() throws Exception {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Company scope", "channel": "email", "sender": {"email": "ada.inbound@acme.test"},
             "stop_scope": "company",
             "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello"},
                       {"type": "proof", "day": 3, "subject": "Again", "body": "Hello again"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    String campaign = created.json().get("campaign_id").asString();
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        """
        [{"lead_id": "boss", "email": "boss@globex.test", "company": "Globex"},
         {"lead_id": "colleague", "email": "colleague@globex.test"},
         {"lead_id": "same-name", "email": "someone@gmail.com", "company": "globex"},
         {"lead_id": "other", "email": "other@initech.test", "company": "Initech"}]
        """);
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    await(
        () -> lead(campaign, "other"),
        l ->
            l.get("steps").size() == 2
                && "sent".equals(l.get("steps").get(0).get("status").asString()));
    await(
        () -> lead(campaign, "boss"),
        l -> "sent".equals(l.get("steps").get(0).get("status").asString()));

    service.post(
        "/api/v1/replies",
        "{\"channel\": \"email\", \"from\": \"boss@globex.test\", \"body\": \"Not interested, thanks.\"}");

    await(() -> lead(campaign, "boss"), l -> "replied".equals(l.get("status").asString()));
    await(() -> lead(campaign, "colleague"), l -> "cancelled".equals(l.get("status").asString()));
    await(() -> lead(campaign, "same-name"), l -> "cancelled".equals(l.get("status").asString()));
    assertThat(lead(campaign, "other").get("status").asString()).isEqualTo("active");
  }

  /** What the test needs of a hook that went out. */
  record Sent(
      String campaign,
      String messageId,
      String subject,
      String html,
      String unsubscribeUrl,
      String listUnsubscribe) {}

  private Sent startAndAwaitHook(String leadId, String email) throws Exception {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Inbound %s", "channel": "email", "sender": {"email": "ada.inbound@acme.test", "name": "Ada"},
             "steps": [{"type": "hook", "day": 0, "subject": "Idea for {{first_name|you}}",
                        "body": "Hi!\\nSee https://acme.test/case-study?ref=mail&x=1 for the numbers."},
                       {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """
                .formatted(leadId));
    String campaign = created.json().get("campaign_id").asString();
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"" + leadId + "\", \"email\": \"" + email + "\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    JsonNode lead =
        await(
            () -> lead(campaign, leadId),
            l ->
                l.get("messages") != null
                    && l.get("messages").size() > 0
                    && "sent".equals(l.get("messages").get(0).get("status").asString()));
    String messageId = lead.get("messages").get(0).get("provider_message_id").asString();

    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", service.imapPort, email, email);
    Folder inbox = store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    MimeMessage mail = (MimeMessage) inbox.getMessage(inbox.getMessageCount());
    String html = null;
    MimeMultipart parts = (MimeMultipart) mail.getContent();
    html = findHtml(parts);
    Sent sent =
        new Sent(
            campaign,
            messageId,
            mail.getSubject(),
            html,
            mail.getHeader("List-Unsubscribe")[0].replaceAll("^<([^>]+)>.*", "$1"),
            mail.getHeader("List-Unsubscribe")[0]);
    store.close();
    return sent;
  }

  private static String findHtml(MimeMultipart parts) throws Exception {
    for (int i = 0; i < parts.getCount(); i++) {
      var part = parts.getBodyPart(i);
      if (part.getContent() instanceof MimeMultipart nested) {
        String html = findHtml(nested);
        if (html != null) {
          return html;
        }
      } else if (part.isMimeType("text/html")) {
        return String.valueOf(part.getContent());
      }
    }
    return null;
  }

  private void sendMail(String from, String subject, String body, String inReplyTo)
      throws Exception {
    TestMail.send(service.smtpPort, from, "ada.inbound@acme.test", subject, body, inReplyTo);
  }

  private void sendDeliveryReport(String status, String recipient, String originalMessageId)
      throws Exception {
    TestMail.deliveryReport(
        service.smtpPort, "ada.inbound@acme.test", status, recipient, originalMessageId);
  }

  private JsonNode lead(String campaign, String leadId) {
    return service.get("/api/v1/campaigns/" + campaign + "/leads/" + leadId).json();
  }
}
