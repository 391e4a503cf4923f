package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The support console in a real browser (Debian's headless Chromium) against the running service:
 * sign in, find a lead, read why its step moved, pause and resume it, read its workflow history,
 * see a chart, be refused what the role may not do, and never see another organization's lead.
 * Screenshots of every page land in {@code target/console-screenshots}.
 */
class ConsoleBrowserTest {

  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  private static RunningService service;
  private static WebDriver browser;
  private static RunningService.Organization org;
  private static String campaign;

  @BeforeAll
  static void start() throws Exception {
    service = RunningService.get();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(binary("/usr/bin/chromium"))
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1280,900");
    // The driver from Debian's package, so that Selenium Manager fetches nothing.
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(binary("/usr/bin/chromedriver")).toFile())
            .build();
    browser = new ChromeDriver(driver, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    Files.createDirectories(SCREENSHOTS);

    org = service.newOrganization("Console Corp");
    var created =
        service.call(
            "POST",
            "/api/v1/campaigns",
            org.adminKey(),
            """
            {"name": "Console launch", "channel": "email",
             "sender": {"email": "ada@console-corp.test", "name": "Ada"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hello {{first_name|there}}", "body": "Hi!"},
                       {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"},
                       {"type": "fomo", "day": 7, "subject": "Last call", "body": "Last call"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
             "limits": {"daily_limit": 1}}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    campaign = created.json().get("campaign_id").asString();
    service.call(
        "POST",
        "/api/v1/campaigns/" + campaign + "/leads",
        org.adminKey(),
        "[{\"lead_id\": \"grace\", \"email\": \"grace@navy.test\", \"first_name\": \"Grace\","
            + " \"last_name\": \"Hopper\", \"timezone\": \"America/Chicago\"},"
            + " {\"lead_id\": \"alan\", \"email\": \"alan@bletchley.test\", \"first_name\": \"Alan\"}]");
    service.call("POST", "/api/v1/campaigns/" + campaign + "/start", org.adminKey(), "{}");
    // One hook goes out today; the daily limit of 1 moves the other to a later day.
    await(
        () -> service.call("GET", "/api/v1/campaigns/" + campaign + "/leads", org.adminKey(), null),
        page ->
            page.json()
                .get("leads")
                .valueStream()
                .allMatch(l -> l.get("status").asString().equals("active")));
    await(
        () ->
            service.call("GET", "/api/v1/campaigns/" + campaign + "/metrics", org.adminKey(), null),
        m -> m.json().get("totals").get("sent").asLong() == 1);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void supportStaffFindALeadReadWhyPauseResumeAndReadItsHistory() throws Exception {
    String operator = service.newKey(org.adminKey(), "operator");
    signIn(operator);
    shot("campaigns");
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("Console launch", "running", "1 of 1");

    browser.get(service.baseUrl + "/console/leads");
    browser.findElement(By.id("q")).sendKeys("hopper");
    browser.findElement(By.cssSelector("form[role=search] button")).click();
    shot("lead-search");
    browser.findElement(By.linkText("grace")).click();
    waitFor(By.id("lead-status"));
    shot("lead");
    String alanOrGrace = leadWithAMovedStep();
    browser.get(service.baseUrl + "/console/campaigns/" + campaign + "/leads/" + alanOrGrace);
    List<WebElement> reasons = browser.findElements(By.cssSelector("td.reason"));
    assertThat(reasons.stream().map(WebElement::getText))
        .anyMatch(reason -> reason.startsWith("moved: ") && reason.contains("(now "));
    shot("lead-with-reason");

    browser.findElement(By.id("pause-lead")).click();
    waitFor(By.cssSelector(".notice"));
    assertThat(browser.findElement(By.id("lead-status")).getText()).isEqualTo("paused");
    assertThat(browser.findElement(By.cssSelector("main")).getText())
        .contains("Who did what", "/pause");
    browser.findElement(By.id("resume-lead")).click();
    waitFor(By.cssSelector(".notice"));
    assertThat(browser.findElement(By.id("lead-status")).getText()).isNotEqualTo("paused");
    shot("lead-resumed");

    browser.findElement(By.id("history-link")).click();
    waitFor(By.id("events"));
    assertThat(browser.findElement(By.id("events")).getText())
        .contains("started LeadSequenceWorkflow", "signal pause", "signal resume");
    shot("history");

    browser.get(service.baseUrl + "/console/campaigns/" + campaign);
    assertThat(browser.findElements(By.cssSelector("svg.chart rect"))).isNotEmpty();
    assertThat(browser.findElement(By.id("ab-result")).getText()).isNotBlank();
    shot("campaign");

    browser.get(service.baseUrl + "/console/suppressions");
    shot("suppressions");
    signOut();
  }

  @Test
  void anAdminProjectsTheCampaignsCalendarAndAnOperatorMayNot() throws Exception {
    signIn(org.adminKey());
    browser.get(service.baseUrl + "/console/campaigns/" + campaign);
    WebElement replyRate = browser.findElement(By.id("reply-rate"));
    replyRate.clear();
    replyRate.sendKeys("0");
    browser.findElement(By.id("simulate")).click();
    waitFor(By.id("projection-summary"));
    shot("projection");
    // What remains of the running campaign: its leads' later steps, drawn as a chart and a table.
    assertThat(browser.findElement(By.id("projection-summary")).getText()).contains("leads");
    assertThat(browser.findElements(By.cssSelector("svg.chart rect"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#projection-days tbody tr"))).isNotEmpty();
    assertThat(browser.findElement(By.id("projection-outcomes")).getText())
        .contains("messages sent");
    signOut();

    signIn(service.newKey(org.adminKey(), "operator"));
    browser.get(service.baseUrl + "/console/campaigns/" + campaign);
    assertThat(browser.findElements(By.id("simulate"))).isEmpty();
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("An admin key can project");
    signOut();
  }

  /**
   * Every page of the console against axe-core's WCAG 2.1 A and AA rules (labels, names, contrast,
   * landmarks, headings, table headers, keyboard access): no violation.
   */
  @Test
  void everyPagePassesAnAccessibilityAudit() throws Exception {
    signIn(org.adminKey());
    List<String> violations = new java.util.ArrayList<>();
    audit("campaigns", violations);
    browser.get(service.baseUrl + "/console/campaigns/" + campaign);
    audit("campaign", violations);
    browser.get(service.baseUrl + "/console/campaigns/" + campaign + "/confirm?action=pause");
    audit("confirm", violations);
    browser.get(service.baseUrl + "/console/leads?q=hopper");
    audit("lead search", violations);
    browser.get(service.baseUrl + "/console/campaigns/" + campaign + "/leads/grace");
    audit("lead", violations);
    browser.get(service.baseUrl + "/console/campaigns/" + campaign + "/leads/grace/history");
    audit("history", violations);
    browser.get(service.baseUrl + "/console/suppressions");
    audit("suppressions", violations);
    browser.get(service.baseUrl + "/console/campaigns/" + campaign);
    browser.findElement(By.id("simulate")).click();
    waitFor(By.id("projection-summary"));
    audit("projection", violations);
    browser.get(service.baseUrl + "/console/campaigns/" + campaign + "/leads/nobody");
    audit("not found", violations);
    browser.get(service.baseUrl + "/console");
    signOut();
    audit("sign-in", violations);
    assertThat(violations).isEmpty();
  }

  private static void audit(String page, List<String> violations) {
    com.deque.html.axecore.results.Results results =
        new com.deque.html.axecore.selenium.AxeBuilder()
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze(browser);
    // The audit ran on the page: it passed rules, not merely found nothing to check.
    assertThat(results.getPasses()).as(page).hasSizeGreaterThan(5);
    for (var rule : results.getViolations()) {
      for (var node : rule.getNodes()) {
        violations.add(page + ": " + rule.getId() + " at " + node.getTarget());
      }
    }
  }

  @Test
  void aReadOnlyKeyGetsNoButtonsAndItsPostsAreRefused() throws Exception {
    String readOnly = service.newKey(org.adminKey(), "read_only");
    signIn(readOnly);
    browser.get(service.baseUrl + "/console/campaigns/" + campaign + "/leads/grace");
    waitFor(By.id("lead-status"));
    assertThat(browser.findElements(By.id("pause-lead"))).isEmpty();
    assertThat(browser.findElements(By.id("opt-out-lead"))).isEmpty();
    shot("lead-read-only");

    // The form a read_only page never shows, posted with the session's own token: refused.
    String cookie = browser.manage().getCookieNamed("sequencer_console").getValue();
    String csrf =
        browser.findElement(By.cssSelector("header form input[name=_csrf]")).getAttribute("value");
    HttpResponse<String> refused =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            service.baseUrl
                                + "/console/campaigns/"
                                + campaign
                                + "/leads/grace/pause"))
                    .header("Cookie", "sequencer_console=" + cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    // And without the token, even an operator's post would be refused.
    HttpResponse<String> forged =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            service.baseUrl
                                + "/console/campaigns/"
                                + campaign
                                + "/leads/grace/pause"))
                    .header("Cookie", "sequencer_console=" + cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=forged"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    // The refused action is in the audit log, with its status, as the API's refusals are.
    assertThat(
            service
                .bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("select status from audit_log where organization_id = ? and target = ?")
                .params(org.id(), campaign + "/grace")
                .query(Integer.class)
                .list())
        .contains(403);
    assertThat(
            service
                .call("GET", "/api/v1/campaigns/" + campaign + "/leads/grace", org.adminKey(), null)
                .json()
                .get("status")
                .asString())
        .isNotEqualTo("paused");
    signOut();
  }

  @Test
  void anotherOrganizationsLeadIsNotFoundAndABadKeyDoesNotSignIn() throws Exception {
    browser.manage().deleteAllCookies();
    browser.get(service.baseUrl + "/console/sign-in");
    browser.findElement(By.id("key")).sendKeys("not-a-key");
    browser.findElement(By.cssSelector("form button")).click();
    waitFor(By.cssSelector(".error"));
    shot("sign-in-refused");

    RunningService.Organization stranger = service.newOrganization("Stranger console");
    signIn(stranger.adminKey());
    browser.get(service.baseUrl + "/console/campaigns/" + campaign + "/leads/grace");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
    assertThat(browser.getPageSource()).doesNotContain("Hopper").doesNotContain("grace@navy.test");
    browser.get(service.baseUrl + "/console/leads?q=grace");
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("No lead matches");
    shot("stranger");
    browser.get(service.baseUrl + "/console/leads?q=a%00b");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not valid");
    browser.get(service.baseUrl + "/console");
    signOut();
    browser.get(service.baseUrl + "/console");
    assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
    // An encoded or parameterised path is the console's path too: no page without a session.
    HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    for (String path :
        List.of("/%63onsole/campaigns/" + campaign, "/console;x/campaigns/" + campaign)) {
      HttpResponse<String> answer =
          plain.send(
              HttpRequest.newBuilder(URI.create(service.baseUrl + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(path).isEqualTo(302);
      assertThat(answer.body()).as(path).doesNotContain("Console launch");
    }
  }

  /** Of the two leads, the one whose step the daily limit moved to a later day. */
  private static String leadWithAMovedStep() {
    for (String lead : List.of("alan", "grace")) {
      var detail =
          service.call(
              "GET", "/api/v1/campaigns/" + campaign + "/leads/" + lead, org.adminKey(), null);
      if (detail
          .json()
          .get("steps")
          .valueStream()
          .anyMatch(
              s -> !s.get("reason").isNull() && s.get("status").asString().equals("scheduled"))) {
        return lead;
      }
    }
    throw new AssertionError("no lead has a moved step");
  }

  private static void signIn(String key) {
    // Whatever an earlier test left: start signed out.
    browser.manage().deleteAllCookies();
    browser.get(service.baseUrl + "/console");
    waitFor(By.id("key"));
    browser.findElement(By.id("key")).sendKeys(key);
    browser.findElement(By.cssSelector("form button")).click();
    waitFor(By.cssSelector("header form"));
  }

  private static void signOut() {
    browser.findElement(By.cssSelector("header form button")).click();
    waitFor(By.id("key"));
  }

  private static void waitFor(By element) {
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(driver -> !driver.findElements(element).isEmpty());
  }

  private static void shot(String name) throws Exception {
    Path file =
        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String binary(String path) {
    assertThat(Path.of(path)).as(path + " (Debian's chromium and chromium-driver)").exists();
    return path;
  }
}
