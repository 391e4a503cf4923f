package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.workflows.lead.LeadSequenceState;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Triggered campaigns through the whole service on a time-skipping Temporal server: events enrol
 * contacts after their delay, outside quiet hours, as often as the frequency limit allows, only
 * when the conditions hold and the campaign runs; a repeated event changes nothing.
 */
class TriggeredCampaignEndToEndTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static RunningService service;

  @BeforeAll
  static void start() {
    service = RunningService.start("--sequencer.embedded.temporal-time-skipping=true");
  }

  @AfterAll
  static void stop() {
    service.context.close();
  }

  /** An email campaign open at any time of any day, with this trigger, activated. */
  static String triggeredCampaign(String name, String zone, String trigger) {
    return triggeredCampaign(name, zone, trigger, THREE_STEPS);
  }

  private static final String THREE_STEPS =
      """
      [{"type": "hook", "day": 0, "subject": "Welcome", "body": "Hi {{first_name|there}}"},
       {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"},
       {"type": "fomo", "day": 7, "subject": "Last call", "body": "Last call"}]
      """;

  static String triggeredCampaign(String name, String zone, String trigger, String steps) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": %s,
             "schedule": {"timezone": "%s", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
             "trigger": %s}
            """
                .formatted(name, steps, zone, trigger));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("campaign_id").asString();
    RunningService.Response activated = service.post("/api/v1/campaigns/" + id + "/activate", "{}");
    assertThat(activated.status()).as(activated.toString()).isEqualTo(202);
    assertThat(activated.json().get("status").asString()).isEqualTo("running");
    return id;
  }

  private static RunningService.Response event(
      String eventId, String contact, String type, String properties, Instant occurredAt) {
    return service.post(
        "/api/v1/events",
        """
        {"event_id": "%s", "contact_id": "%s", "email": "%s@example.com", "type": "%s",
         "properties": %s, "occurred_at": "%s"}
        """
            .formatted(eventId, contact, contact, type, properties, occurredAt));
  }

  private static JsonNode lead(String campaign, String leadId) {
    return service.get("/api/v1/campaigns/" + campaign + "/leads/" + leadId).json();
  }

  @Test
  void anEventEnrolsItsContactAfterTheDelayAndConditionsDecide() throws Exception {
    String campaign =
        triggeredCampaign(
            "Welcome after an hour",
            "UTC",
            """
            {"event": "signed_up", "delay_minutes": 60,
             "conditions": [{"field": "properties.plan", "op": "in", "value": ["pro", "team"]},
                            {"field": "properties.seats", "op": "gt", "value": 9}]}
            """);
    Instant start;
    try (TimeSkipping time = TimeSkipping.locked(service)) {
      Instant occurred = time.now().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
      start = occurred.plus(Duration.ofMinutes(60));

      // Conditions on the event's properties: a free plan, or 5 seats, enrols no one.
      assertThat(
              event("dl-free", "dl-2", "signed_up", "{\"plan\": \"free\", \"seats\": 20}", occurred)
                  .json()
                  .get("enrolled"))
          .isEmpty();
      assertThat(
              event("dl-few", "dl-3", "signed_up", "{\"plan\": \"pro\", \"seats\": 5}", occurred)
                  .json()
                  .get("enrolled"))
          .isEmpty();
      assertThat(
              event("dl-other", "dl-4", "logged_in", "{\"plan\": \"pro\", \"seats\": 50}", occurred)
                  .json()
                  .get("enrolled"))
          .isEmpty();

      RunningService.Response accepted =
          event("dl-1-signup", "dl-1", "signed_up", "{\"plan\": \"pro\", \"seats\": 12}", occurred);
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      JsonNode enrolled = accepted.json().get("enrolled");
      assertThat(enrolled).hasSize(1);
      assertThat(enrolled.get(0).get("campaign_id").asString()).isEqualTo(campaign);
      assertThat(enrolled.get(0).get("lead_id").asString()).isEqualTo("dl-1");
      assertThat(Instant.parse(enrolled.get(0).get("start_at").asString())).isEqualTo(start);

      // Visible on the contact at once.
      JsonNode activity = service.get("/api/v1/contacts/dl-1/enrolments").json();
      assertThat(activity.get("events").get(0).get("event_id").asString()).isEqualTo("dl-1-signup");
      assertThat(activity.get("enrolments").get(0).get("lead_id").asString()).isEqualTo("dl-1");
      assertThat(activity.get("enrolments").get(0).get("campaign_id").asString())
          .isEqualTo(campaign);

      JsonNode planned =
          await(() -> lead(campaign, "dl-1"), l -> "active".equals(l.get("status").asString()));
      assertThat(Instant.parse(planned.get("steps").get(0).get("scheduled_at").asString()))
          .isEqualTo(start);
      assertThat(planned.get("steps").get(0).get("status").asString()).isEqualTo("scheduled");
    }
    JsonNode sent =
        await(
            () -> lead(campaign, "dl-1"),
            l -> "sent".equals(l.get("steps").get(0).get("status").asString()));
    assertThat(Instant.parse(sent.get("steps").get(0).get("sent_at").asString()))
        .isBetween(start, start.plusSeconds(60));
    assertThat(service.get("/api/v1/campaigns/" + campaign + "/leads").json().get("total").asInt())
        .isEqualTo(1);
  }

  @Test
  void conditionsOnTheContactDecide() throws Exception {
    Instant now = Instant.parse("2027-01-04T00:00:00Z");
    service
        .bean(Contacts.class)
        .upsert(
            List.of(
                contact("cf-vip", List.of("vip"), Map.of("plan", "pro"), now),
                contact("cf-plain", List.of(), Map.of("plan", "pro"), now),
                contact("cf-free", List.of("vip"), Map.of("plan", "free"), now)));
    String campaign =
        triggeredCampaign(
            "VIPs on pro",
            "UTC",
            """
            {"event": "upgraded",
             "conditions": [{"field": "tags", "op": "eq", "value": "vip"},
                            {"field": "attributes.plan", "op": "eq", "value": "pro"},
                            {"field": "email", "op": "contains", "value": "@EXAMPLE.com"}]}
            """);
    for (String contact : List.of("cf-vip", "cf-plain", "cf-free")) {
      service.post(
          "/api/v1/events",
          "{\"event_id\": \"up-%s\", \"contact_id\": \"%s\", \"type\": \"upgraded\"}"
              .formatted(contact, contact));
    }
    JsonNode leads = service.get("/api/v1/campaigns/" + campaign + "/leads").json();
    assertThat(leads.get("total").asInt()).isEqualTo(1);
    assertThat(leads.get("leads").get(0).get("lead_id").asString()).isEqualTo("cf-vip");
  }

  @Test
  void aLeadWhoseSequenceNeverStartedIsStartedByTheSweepFromItsOwnStart() throws Exception {
    String campaign =
        triggeredCampaign("Stranded", "UTC", "{\"event\": \"signed_up\", \"delay_minutes\": 0}");
    JdbcClient jdbc = service.bean(JdbcClient.class);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long contact =
        service
            .bean(Contacts.class)
            .upsert(List.of(contact("st-1", List.of(), Map.of(), now)))
            .get(0);
    // What an api that died between an event's commit and its sequence's start leaves behind: the
    // lead pending, its enrolment recorded, no workflow.
    long lead =
        jdbc.sql(
                """
                insert into leads (organization_id, campaign_id, lead_id, email, first_name,
                                   timezone, status, contact_pk, created_at, updated_at)
                values ('org_default', ?, 'st-1', 'st-1@example.com', 'Cy', 'UTC', 'PENDING', ?,
                        ?, ?)
                returning id
                """)
            .params(
                campaign,
                contact,
                java.sql.Timestamp.from(now.minusSeconds(300)),
                java.sql.Timestamp.from(now.minusSeconds(300)))
            .query(Long.class)
            .single();
    jdbc.sql(
            "insert into trigger_enrolments (campaign_id, contact_pk, lead_pk, enrolled_at,"
                + " start_at) values (?, ?, ?, ?, ?)")
        .params(
            campaign,
            contact,
            lead,
            java.sql.Timestamp.from(now.minusSeconds(300)),
            java.sql.Timestamp.from(now.minusSeconds(300)))
        .update();

    assertThat(service.bean(dev.sequencer.api.trigger.StrandedTriggeredLeads.class).sweep())
        .contains(campaign);

    JsonNode sent =
        await(
            () -> lead(campaign, "st-1"),
            l ->
                !l.get("steps").isEmpty()
                    && "sent".equals(l.get("steps").get(0).get("status").asString()));
    assertThat(sent.get("status").asString()).isEqualTo("active");
    assertThat(service.bean(dev.sequencer.api.trigger.StrandedTriggeredLeads.class).sweep())
        .doesNotContain(campaign);
  }

  private static Contact contact(
      String id, List<String> tags, Map<String, Object> attributes, Instant at) {
    return new Contact(
        null,
        "org_default",
        id,
        id + "@example.com",
        null,
        "Cy",
        null,
        null,
        null,
        null,
        tags,
        attributes,
        null,
        at,
        at);
  }

  @Test
  void quietHoursMoveTheStartToTheirEndInTheZone() {
    String campaign =
        triggeredCampaign(
            "Quiet nights",
            "America/New_York",
            """
            {"event": "cart_abandoned", "delay_minutes": 60,
             "quiet_hours": {"start": "21:00", "end": "08:00"}}
            """);
    // 20:30 in New York, an hour's delay: 21:30 falls in the quiet hours, so 08:00 the next day.
    ZonedDateTime local = Instant.now().plus(Duration.ofDays(400)).atZone(NEW_YORK);
    ZonedDateTime evening = local.with(LocalTime.of(20, 30)).truncatedTo(ChronoUnit.MINUTES);
    Instant morning = evening.toLocalDate().plusDays(1).atTime(8, 0).atZone(NEW_YORK).toInstant();
    JsonNode enrolled =
        event("qh-1-cart", "qh-1", "cart_abandoned", "{}", evening.toInstant())
            .json()
            .get("enrolled");
    assertThat(enrolled).hasSize(1);
    assertThat(Instant.parse(enrolled.get(0).get("start_at").asString())).isEqualTo(morning);
    // 07:00 the day after, with the delay 08:00: just outside, so it stays.
    ZonedDateTime early = evening.plusDays(2).with(LocalTime.of(7, 0));
    JsonNode second =
        event("qh-2-cart", "qh-2", "cart_abandoned", "{}", early.toInstant())
            .json()
            .get("enrolled");
    assertThat(Instant.parse(second.get(0).get("start_at").asString()))
        .isEqualTo(early.plusHours(1).toInstant());
  }

  @Test
  void theFrequencyLimitAllowsOneEnrolmentPerWindowAndTheCampaignNeverCompletesOnItsOwn()
      throws Exception {
    String campaign =
        triggeredCampaign(
            "Once a month",
            "UTC",
            """
            {"event": "visited_pricing", "frequency": {"limit": 1, "window_hours": 720}}
            """,
            // One step: the sequence ends with its hook, so no days need skipping.
            "[{\"type\": \"hook\", \"day\": 0, \"subject\": \"Pricing\", \"body\": \"Hi\"}]");
    Instant first;
    try (TimeSkipping time = TimeSkipping.locked(service)) {
      first = time.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
      JsonNode enrolled = event("fq-a", "fq-1", "visited_pricing", "{}", first).json();
      assertThat(enrolled.get("enrolled").get(0).get("lead_id").asString()).isEqualTo("fq-1");
    }
    await(() -> lead(campaign, "fq-1"), l -> "completed".equals(l.get("status").asString()));
    // The run looks hourly whether every lead has finished; let (skipped) time pass that check.
    Instant checked = serverTime().plus(Duration.ofMinutes(61));
    await(TriggeredCampaignEndToEndTest::serverTime, t -> t.isAfter(checked));

    // Ten days on (the sequence has ended, the window has not): no one is enrolled.
    assertThat(
            event("fq-b", "fq-1", "visited_pricing", "{}", first.plus(Duration.ofDays(10)))
                .json()
                .get("enrolled"))
        .isEmpty();
    // 721 hours on, after the window: enrolled again, as its second lead.
    Instant later = first.plus(Duration.ofHours(721));
    JsonNode again = event("fq-c", "fq-1", "visited_pricing", "{}", later).json().get("enrolled");
    assertThat(again).hasSize(1);
    assertThat(again.get(0).get("lead_id").asString()).isEqualTo("fq-1.2");
    assertThat(Instant.parse(again.get(0).get("start_at").asString())).isEqualTo(later);
    await(() -> lead(campaign, "fq-1.2"), l -> "active".equals(l.get("status").asString()));

    // Its only lead had finished and the hourly check ran since: still running.
    assertThat(service.get("/api/v1/campaigns/" + campaign).json().get("status").asString())
        .isEqualTo("running");
  }

  @Test
  void anEventForAContactInTheSequenceIsRecordedOnItAndARepeatChangesNothing() throws Exception {
    String campaign =
        triggeredCampaign(
            "Once at a time", "UTC", "{\"event\": \"opened_app\", \"delay_minutes\": 600}");
    JdbcClient jdbc = service.bean(JdbcClient.class);
    try (TimeSkipping time = TimeSkipping.locked(service)) {
      Instant at = time.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
      RunningService.Response first = event("in-a", "in-1", "opened_app", "{}", at);
      assertThat(first.json().get("enrolled")).hasSize(1);
      await(() -> lead(campaign, "in-1"), l -> "active".equals(l.get("status").asString()));

      RunningService.Response second =
          event("in-b", "in-1", "opened_app", "{}", at.plusSeconds(30));
      assertThat(second.status()).isEqualTo(202);
      assertThat(second.json().get("enrolled")).isEmpty();
      JsonNode lead = lead(campaign, "in-1");
      assertThat(lead.get("timeline").toString()).contains("trigger_event").contains("in-b");
      LeadSequenceState state =
          await(
              () ->
                  service
                      .bean(WorkflowClient.class)
                      .newWorkflowStub(
                          LeadSequenceWorkflow.class,
                          LeadSequenceWorkflow.workflowId(campaign, "in-1"))
                      .state(),
              s -> s.triggerEvents() == 2);
      assertThat(state.lastTriggerEvent()).isEqualTo("opened_app");

      long events = count(jdbc, "select count(*) from contact_events");
      long leads = count(jdbc, "select count(*) from leads");
      RunningService.Response repeat = event("in-a", "in-1", "opened_app", "{}", at);
      assertThat(repeat.status()).isEqualTo(202);
      assertThat(repeat.json()).isEqualTo(first.json());
      assertThat(count(jdbc, "select count(*) from contact_events")).isEqualTo(events);
      assertThat(count(jdbc, "select count(*) from leads")).isEqualTo(leads);
      assertThat(
              service.get("/api/v1/campaigns/" + campaign + "/leads").json().get("total").asInt())
          .isEqualTo(1);
    }
  }

  /**
   * Events posted at once are decided in batches, one transaction each: two events for one new
   * contact, and a repeat of one of them, must still enrol the contact once, record the other event
   * on its lead, pass both to its sequence and answer the repeat as the first.
   */
  @Test
  void eventsArrivingTogetherEnrolEachContactOnceAndRepeatsAnswerAlike() throws Exception {
    String campaign =
        triggeredCampaign(
            "All at once", "UTC", "{\"event\": \"joined_team\", \"delay_minutes\": 600}");
    JdbcClient jdbc = service.bean(JdbcClient.class);
    int contacts = 15;
    try (TimeSkipping time = TimeSkipping.locked(service)) {
      Instant at = time.now().truncatedTo(ChronoUnit.SECONDS);
      List<String[]> posts = new java.util.ArrayList<>();
      for (int i = 0; i < contacts; i++) {
        posts.add(new String[] {"tog-" + i + "-a", "tog-" + i});
        posts.add(new String[] {"tog-" + i + "-b", "tog-" + i});
        posts.add(new String[] {"tog-" + i + "-a", "tog-" + i});
      }
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(posts.size());
      List<java.util.concurrent.Future<RunningService.Response>> answers =
          new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (String[] post : posts) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return event(post[0], post[1], "joined_team", "{}", at);
                }));
      }
      go.countDown();
      Map<String, List<JsonNode>> byEvent = new java.util.HashMap<>();
      for (int i = 0; i < posts.size(); i++) {
        RunningService.Response answer =
            answers.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        byEvent
            .computeIfAbsent(posts.get(i)[0], e -> new java.util.ArrayList<>())
            .add(answer.json());
      }
      pool.shutdown();

      for (int i = 0; i < contacts; i++) {
        String contact = "tog-" + i;
        List<JsonNode> a = byEvent.get(contact + "-a");
        JsonNode b = byEvent.get(contact + "-b").get(0);
        assertThat(a.get(1)).as("a repeat answers as the first").isEqualTo(a.get(0));
        // Whichever of a and b was decided first enrolled the contact; the other found it enrolled.
        assertThat(a.get(0).get("enrolled").size() + b.get("enrolled").size())
            .as(contact)
            .isEqualTo(1);
        assertThat(
                count(
                    jdbc,
                    "select count(*) from leads where campaign_id = '"
                        + campaign
                        + "' and (lead_id = '"
                        + contact
                        + "' or lead_id like '"
                        + contact
                        + ".%')"))
            .as(contact)
            .isEqualTo(1);
        JsonNode lead =
            await(() -> lead(campaign, contact), l -> "active".equals(l.get("status").asString()));
        assertThat(lead.get("timeline").toString()).contains("already in the sequence");
        LeadSequenceState state =
            await(
                () ->
                    service
                        .bean(WorkflowClient.class)
                        .newWorkflowStub(
                            LeadSequenceWorkflow.class,
                            LeadSequenceWorkflow.workflowId(campaign, contact))
                        .state(),
                st -> st.triggerEvents() == 2);
        assertThat(state.lastTriggerEvent()).isEqualTo("joined_team");
      }
      assertThat(count(jdbc, "select count(*) from contact_events where event_id like 'tog-%'"))
          .isEqualTo(2L * contacts);
      assertThat(
              count(
                  jdbc,
                  "select count(*) from trigger_enrolments where campaign_id = '" + campaign + "'"))
          .isEqualTo(contacts);
    }
  }

  @Test
  void aPausedCampaignAndAnotherOrganizationsCampaignEnrolNoOne() {
    String paused = triggeredCampaign("Paused", "UTC", "{\"event\": \"joined_webinar\"}");
    assertThat(service.post("/api/v1/campaigns/" + paused + "/pause", "{}").status())
        .isEqualTo(202);
    RunningService.Organization other = service.newOrganization("Other org");
    RunningService.Response created =
        service.call(
            "POST",
            "/api/v1/campaigns",
            other.adminKey(),
            """
            {"name": "Theirs", "channel": "email", "sender": {"email": "bo@other.test"},
             "trigger": {"event": "joined_webinar"}}
            """);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String theirs = created.json().get("campaign_id").asString();
    assertThat(
            service
                .call("POST", "/api/v1/campaigns/" + theirs + "/activate", other.adminKey(), "{}")
                .status())
        .isEqualTo(202);
    // Ours cannot activate theirs.
    assertThat(service.post("/api/v1/campaigns/" + theirs + "/activate", "{}").status())
        .isEqualTo(404);

    RunningService.Response answer =
        service.post(
            "/api/v1/events",
            "{\"event_id\": \"pz-web\", \"email\": \"Webinar.Guest@Example.com\","
                + " \"type\": \"joined_webinar\"}");
    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.json().get("enrolled")).isEmpty();
    assertThat(service.get("/api/v1/campaigns/" + paused + "/leads").json().get("total").asInt())
        .isZero();
    assertThat(
            service
                .call("GET", "/api/v1/campaigns/" + theirs + "/leads", other.adminKey(), null)
                .json()
                .get("total")
                .asInt())
        .isZero();
    // Theirs enrols their own contacts.
    RunningService.Response own =
        service.call(
            "POST",
            "/api/v1/events",
            other.adminKey(),
            "{\"event_id\": \"pz-web\", \"email\": \"webinar.guest@example.com\","
                + " \"type\": \"joined_webinar\"}");
    assertThat(own.json().get("enrolled")).hasSize(1);
    assertThat(own.json().get("enrolled").get(0).get("campaign_id").asString()).isEqualTo(theirs);
  }

  private static Instant serverTime() {
    try (TimeSkipping time = TimeSkipping.locked(service)) {
      return time.now();
    }
  }

  private static long count(JdbcClient jdbc, String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }
}
