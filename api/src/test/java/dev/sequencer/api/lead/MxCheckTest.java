package dev.sequencer.api.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.api.lead.FakeDnsServer.Zone;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.SimpleResolver;

/** The MX check against a DNS server on a local port that answers from a fixed table. */
class MxCheckTest {

  /** A server of each test's own, whose query counts are that test's. */
  private final FakeDnsServer dns =
      new FakeDnsServer(
          Map.of(
              "mail.test", Zone.MX,
              "a-only.test", Zone.A_ONLY,
              "aaaa-only.test", Zone.AAAA_ONLY,
              "null-mx.test", Zone.NULL_MX,
              "no-data.test", Zone.NO_DATA,
              "servfail.test", Zone.SERVFAIL,
              "silent.test", Zone.SILENT));

  @AfterEach
  void stop() throws InterruptedException {
    dns.close();
  }

  @ParameterizedTest
  @CsvSource({
    "mail.test, MAIL",
    "a-only.test, MAIL",
    "aaaa-only.test, MAIL",
    "null-mx.test, NO_MAIL",
    "no-data.test, NO_MAIL",
    "nxdomain.test, NO_MAIL",
    "servfail.test, UNAVAILABLE",
    "silent.test, UNAVAILABLE",
  })
  void eachKindOfAnswer(String domain, MxCheck.Answer expected) {
    SimpleResolver resolver = new SimpleResolver(dns.address());
    long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
    assertThat(MxCheck.lookup(resolver, domain, until)).isEqualTo(expected);
  }

  @Test
  void domainsThatTakeNoMailAreNamedAndEachDomainIsAskedOnce() {
    MxCheck check = new MxCheck(dns.address(), Duration.ofSeconds(2), Duration.ofSeconds(10), 4);
    MxCheck.Outcome outcome;
    try (MxCheck.Run run = check.start()) {
      for (String domain :
          List.of(
              "mail.test", "gone.test", "mail.test", "no-data.test", "gone.test", "a-only.test")) {
        run.check(domain);
      }
      outcome = run.finish();
    }
    assertThat(outcome.noMail()).containsExactlyInAnyOrder("gone.test", "no-data.test");
    assertThat(outcome.warnings()).isEmpty();
    assertThat(dns.queries("gone.test", "MX")).isEqualTo(1);
    assertThat(dns.queries("mail.test", "MX")).isEqualTo(1);
    assertThat(dns.queries("mail.test", "A")).as("an MX answers it").isZero();
  }

  @Test
  void domainsWithoutAnAnswerAreNotFlaggedAndReportedOnce() {
    MxCheck check = new MxCheck(dns.address(), Duration.ofMillis(300), Duration.ofSeconds(10), 4);
    MxCheck.Outcome outcome;
    try (MxCheck.Run run = check.start()) {
      run.check("servfail.test");
      run.check("silent.test");
      run.check("null-mx.test");
      run.check("mail.test");
      outcome = run.finish();
    }
    assertThat(outcome.noMail()).containsExactly("null-mx.test");
    assertThat(outcome.warnings())
        .containsExactly(
            "MX check skipped for 2 domains: DNS gave no answer (timeout or server failure)");
  }

  @Test
  void aSilentResolverSkipsTheCheckAfterAFewLookUps() throws Exception {
    try (FakeDnsServer down = new FakeDnsServer(Map.of("mail.test", Zone.MX))) {
      down.silent(true);
      MxCheck check =
          new MxCheck(down.address(), Duration.ofMillis(200), Duration.ofSeconds(10), 1);
      long start = System.nanoTime();
      MxCheck.Outcome outcome;
      try (MxCheck.Run run = check.start()) {
        for (int i = 0; i < 20; i++) {
          run.check("d" + i + ".test");
        }
        run.check("mail.test");
        outcome = run.finish();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(outcome.noMail()).isEmpty();
      assertThat(outcome.warnings()).containsExactly(MxCheck.DNS_UNAVAILABLE);
      assertThat(down.queries())
          .as("one look-up at a time, given up after the first unanswered ones")
          .isEqualTo(MxCheck.UNAVAILABLE_AFTER);
      assertThat(took).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void noResolverOnThePortSkipsTheCheck() throws Exception {
    InetSocketAddress nobody;
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      nobody = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }
    MxCheck check = new MxCheck(nobody, Duration.ofMillis(300), Duration.ofSeconds(10), 2);
    MxCheck.Outcome outcome;
    try (MxCheck.Run run = check.start()) {
      run.check("gone.test");
      run.check("mail.test");
      outcome = run.finish();
    }
    assertThat(outcome.noMail()).isEmpty();
    assertThat(outcome.warnings()).containsExactly(MxCheck.DNS_UNAVAILABLE);
  }

  @Test
  void domainsSeenAfterTheBudgetAreNotChecked() throws Exception {
    MxCheck check = new MxCheck(dns.address(), Duration.ofSeconds(5), Duration.ofMillis(400), 4);
    MxCheck.Outcome outcome;
    try (MxCheck.Run run = check.start()) {
      run.check("gone.test");
      run.check("silent.test");
      Thread.sleep(600);
      run.check("no-data.test");
      outcome = run.finish();
    }
    assertThat(outcome.noMail()).containsExactly("gone.test");
    assertThat(outcome.warnings())
        .containsExactly(
            "MX check skipped for 1 domain: DNS gave no answer (timeout or server failure)",
            "MX check stopped after its 0.4 s budget: 1 domain not checked");
    assertThat(dns.queries("no-data.test", "MX")).as("seen after the budget").isZero();
  }

  @Test
  void theBudgetBoundsTheWaitForALookUpLongerThanIt() {
    MxCheck check = new MxCheck(dns.address(), Duration.ofSeconds(5), Duration.ofMillis(400), 4);
    long start = System.nanoTime();
    MxCheck.Outcome outcome;
    try (MxCheck.Run run = check.start()) {
      run.check("mail.test");
      run.check("silent.test");
      outcome = run.finish();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(1500));
    assertThat(outcome.noMail()).isEmpty();
    assertThat(outcome.warnings()).hasSize(1).allMatch(w -> w.startsWith("MX check"));
  }

  @Test
  void aDisabledCheckAsksNothing() {
    ImportProperties off = new ImportProperties(false, dns.hostAndPort(), null, null, 0);
    MxCheck check = MxCheck.of(off);
    int before = dns.queries("off.test", "MX");
    try (MxCheck.Run run = check.start()) {
      run.check("off.test");
      assertThat(run.finish()).isEqualTo(MxCheck.Outcome.NONE);
    }
    assertThat(check.enabled()).isFalse();
    assertThat(dns.queries("off.test", "MX")).isEqualTo(before);
  }

  @Test
  void defaultsAreTwoSecondsPerDomainAndTenPerImport() {
    ImportProperties defaults = new ImportProperties(false, " ", null, null, 0);
    assertThat(defaults.mxResolver()).isNull();
    assertThat(defaults.mxTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.mxBudget()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.mxParallelism()).isEqualTo(8);
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1, 53",
    "127.0.0.1:5353, 127.0.0.1, 5353",
    "[::1]:5300, 0:0:0:0:0:0:0:1, 5300",
    "[::1], 0:0:0:0:0:0:0:1, 53",
    "::1, 0:0:0:0:0:0:0:1, 53",
  })
  void resolverAddresses(String configured, String host, int port) {
    InetSocketAddress address = MxCheck.address(configured);
    assertThat(address.getAddress().getHostAddress()).isEqualTo(host);
    assertThat(address.getPort()).isEqualTo(port);
  }

  @Test
  void aMalformedResolverAddressIsRefused() {
    assertThatThrownBy(() -> MxCheck.address("127.0.0.1:dns"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port");
  }
}
