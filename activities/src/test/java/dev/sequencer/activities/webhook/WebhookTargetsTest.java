package dev.sequencer.activities.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.webhook.WebhookTargets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Production's address policy, on addresses from RFC 6890's special-purpose registries. */
class WebhookTargetsTest {

  private final WebhookTargets production = new WebhookTargets(true, false, "");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1/hook",
        "https://127.1.2.3/hook",
        "https://localhost/hook",
        "https://0.0.0.0/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1/hook",
        "https://172.31.255.255/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hook",
        "https://198.18.0.1/hook",
        "https://224.0.0.1/hook",
        "https://255.255.255.255/hook",
        "https://[::1]/hook",
        "https://[::]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[fc00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:a9fe:a9fe]/hook",
        "https://[64:ff9b::a00:1]/hook",
        "https://[2001:db8::1]/hook",
        "https://[64:ff9b:1::a00:1]/hook",
        "https://[2002:7f00:1::]/hook",
        "https://[2001:0:4136:e378::1]/hook",
        "https://[::ffff:0:7f00:1]/hook"
      })
  void addressesOutsideThePublicInternetAreRefused(String url) {
    assertThat(production.problemWith(url)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://203.0.114.10/hook", // public, but not https
        "https://user:secret@203.0.114.10/hook",
        "ftp://203.0.114.10/hook",
        "/relative/hook",
        "https:///no-host"
      })
  void urlsOfTheWrongShapeAreRefused(String url) {
    assertThat(production.problemWith(url)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://8.8.8.8/hook",
        "https://203.0.114.10:8443/in",
        "https://172.32.0.1/hook",
        "https://[2606:4700:4700::1111]/hook"
      })
  void publicHttpsAddressesAreAllowed(String url) {
    assertThat(production.problemWith(url)).isEmpty();
  }

  @Test
  void theOperatorsAllowListAndDevelopmentLetPrivateHostsThrough() {
    WebhookTargets allowList = new WebhookTargets(true, false, "127.0.0.1, crm.internal");
    assertThat(allowList.problemWith("https://127.0.0.1/hook")).isEmpty();
    assertThat(allowList.problemWith("https://10.0.0.1/hook")).isPresent();
    WebhookTargets development = new WebhookTargets(false, true, "");
    assertThat(development.problemWith("http://127.0.0.1:8080/hook")).isEmpty();
    assertThat(development.problemWith("http://localhost:8080/hook")).isEmpty();
  }

  @Test
  void aNameThatDoesNotResolveIsRefused() {
    assertThat(production.problemWith("https://no-such-host.invalid/hook"))
        .hasValueSatisfying(problem -> assertThat(problem).contains("does not resolve"));
  }
}
