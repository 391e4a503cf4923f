package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.api.pulse.CampaignLimitGauges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The domain metrics on {@code /actuator/prometheus}, as Prometheus scrapes them: what a campaign
 * sends, how long its steps wait for their hand-over, replies by class, opt-outs, enrolments, and
 * each campaign's daily limit against what it took today.
 */
class DomainMetricsTest {

  private final RunningService service = RunningService.get();

  @Test
  void aCampaignsSendsRepliesAndOptOutsShowInPrometheus() throws Exception {
    String before = scrape();
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Metrics", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello"},
                       {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"}],
             "limits": {"daily_limit": 40, "min_spacing_seconds": 0},
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    String campaign = created.json().get("campaign_id").asString();
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"m-1\", \"email\": \"m1@metrics.test\"},"
            + " {\"lead_id\": \"m-2\", \"email\": \"m2@metrics.test\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    ControlApiTest.await(() -> service.sentMessages(campaign), sent -> sent == 2);
    assertThat(
            service
                .post(
                    "/api/v1/replies",
                    "{\"channel\": \"email\", \"from\": \"m1@metrics.test\","
                        + " \"body\": \"Sounds great, let's talk next week.\"}")
                .status())
        .isEqualTo(202);
    assertThat(service.post("/api/v1/opt-outs", "{\"email\": \"m2@metrics.test\"}").status())
        .isEqualTo(202);
    service.bean(CampaignLimitGauges.class).refresh();

    String after = scrape();

    assertThat(increase(before, after, "sequencer_messages_sent_total", "channel=\"email\""))
        .isGreaterThanOrEqualTo(2);
    assertThat(increase(before, after, "sequencer_send_latency_seconds_count"))
        .isGreaterThanOrEqualTo(2);
    assertThat(after).contains("sequencer_send_latency_seconds_bucket{");
    assertThat(increase(before, after, "sequencer_leads_enrolled_total")).isGreaterThanOrEqualTo(2);
    assertThat(increase(before, after, "sequencer_replies_total", "class=\"interested\""))
        .isEqualTo(1);
    assertThat(
            increase(
                before, after, "sequencer_opt_outs_total", "channel=\"email\"", "source=\"api\""))
        .isEqualTo(1);
    assertThat(sample(after, "sequencer_campaign_daily_limit", "campaign=\"" + campaign + "\""))
        .isEqualTo(40);
    assertThat(sample(after, "sequencer_campaign_daily_used", "campaign=\"" + campaign + "\""))
        .isEqualTo(2);
    assertThat(after).contains("sequencer_signals_pending");
  }

  /**
   * The dashboard shows only metrics the README documents, and every exported one is documented.
   */
  @Test
  void theDashboardAndTheScrapeUseOnlyDocumentedMetrics() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String readme = Files.readString(root.resolve("README.md"));
    Set<String> documented = names(readme, "`(sequencer_[a-z_]+)`");
    String dashboard = Files.readString(root.resolve("docker/grafana/dashboards/sequencer.json"));

    assertThat(names(dashboard, "(sequencer_[a-z_]+)"))
        .isNotEmpty()
        .allSatisfy(metric -> assertThat(documented).contains(baseName(metric)));
    assertThat(names(scrape(), "# TYPE (sequencer_[a-z_]+)"))
        .contains("sequencer_signals_pending", "sequencer_leads_enrolled_total")
        .allSatisfy(metric -> assertThat(documented).contains(baseName(metric)));
  }

  private static Set<String> names(String text, String pattern) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = Pattern.compile(pattern).matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** A histogram's series carry suffixes; Micrometer adds {@code _max} to timers. */
  private static String baseName(String metric) {
    return metric.replaceAll("_(bucket|count|sum|max)$", "");
  }

  private String scrape() {
    var response = service.send(service.request("/actuator/prometheus", null).GET());
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }

  private static double increase(String before, String after, String name, String... labels) {
    return sample(after, name, labels) - sample(before, name, labels);
  }

  /** The value of the one sample of {@code name} that has all {@code labels}; 0 when none. */
  static double sample(String scrape, String name, String... labels) {
    Matcher line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)$", Pattern.MULTILINE)
            .matcher(scrape);
    double value = 0;
    int found = 0;
    while (line.find()) {
      String tags = line.group(1) == null ? "" : line.group(1);
      if (Arrays.stream(labels).allMatch(tags::contains)) {
        value = Double.parseDouble(line.group(2));
        found++;
      }
    }
    assertThat(found).as("samples of %s with %s", name, Arrays.toString(labels)).isLessThan(2);
    return value;
  }
}
