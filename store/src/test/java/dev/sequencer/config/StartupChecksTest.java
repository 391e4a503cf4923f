package dev.sequencer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class StartupChecksTest {

  private static MockEnvironment good() {
    return new MockEnvironment()
        .withProperty("sequencer.api-key", "a".repeat(32))
        .withProperty("sequencer.access.admin-key", "b".repeat(32))
        .withProperty("sequencer.token-secret", "c".repeat(32))
        .withProperty("sequencer.public-url", "https://sequencer.example.com");
  }

  private static List<String> problems(MockEnvironment env, StartupChecks.Process process) {
    return StartupChecks.findings(env, process).stream()
        .map(StartupChecks.Finding::problem)
        .toList();
  }

  @Test
  void secretsOfThirtyTwoCharactersAndAnHttpsAddressPass() {
    assertThat(StartupChecks.findings(good(), StartupChecks.Process.API)).isEmpty();
  }

  @Test
  void eachWeakSettingIsOneProblem() {
    MockEnvironment env =
        good()
            .withProperty("sequencer.api-key", "a".repeat(31))
            .withProperty("sequencer.access.admin-key", "dev-admin-key")
            // 16 characters of 2 bytes each: 32 bytes, enough.
            .withProperty("sequencer.token-secret", "é".repeat(16))
            .withProperty("sequencer.public-url", "http://sequencer.example.com");
    assertThat(problems(env, StartupChecks.Process.API))
        .hasSize(3)
        .anySatisfy(p -> assertThat(p).startsWith("SEQUENCER_API_KEY is shorter than 32"))
        .anySatisfy(p -> assertThat(p).startsWith("SEQUENCER_ADMIN_KEY is not set"))
        .anySatisfy(p -> assertThat(p).startsWith("SEQUENCER_PUBLIC_URL is not an https"));
    assertThat(problems(good().withProperty("sequencer.token-secret", "é".repeat(15)), null))
        .containsExactly("SEQUENCER_TOKEN_SECRET is shorter than 32 bytes");
  }

  @Test
  void theWorkerReadsTheAdminKeyFromItsVariable() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("sequencer.api-key", "a".repeat(32))
            .withProperty("SEQUENCER_ADMIN_KEY", "b".repeat(32))
            .withProperty("sequencer.token-secret", "c".repeat(32))
            .withProperty("sequencer.public-url", "https://sequencer.example.com");
    assertThat(StartupChecks.findings(env, StartupChecks.Process.WORKER)).isEmpty();
  }

  @Test
  void onlyTheEmbeddedDefaultMayStartWithoutATokenSecret() {
    MockEnvironment env = good().withProperty("sequencer.token-secret", "");
    assertThat(StartupChecks.findings(env, StartupChecks.Process.EMBEDDED))
        .singleElement()
        .satisfies(f -> assertThat(f.alwaysFatal()).isFalse());
    for (StartupChecks.Process process :
        List.of(StartupChecks.Process.API, StartupChecks.Process.WORKER)) {
      assertThat(StartupChecks.findings(env, process))
          .singleElement()
          .satisfies(f -> assertThat(f.alwaysFatal()).isTrue());
    }
  }

  @Test
  void aRetiredSecretWithoutItsDayNeverStarts() {
    MockEnvironment env =
        good().withProperty("sequencer.token-secrets-retired", "old@2027-03-01,older");
    assertThat(StartupChecks.findings(env, StartupChecks.Process.EMBEDDED))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.problem())
                  .isEqualTo(
                      "SEQUENCER_TOKEN_SECRETS_RETIRED entry 2 is not secret@yyyy-mm-dd (the day"
                          + " it was retired)");
              assertThat(f.alwaysFatal()).isTrue();
            });
    assertThat(
            StartupChecks.findings(
                good().withProperty("sequencer.token-secrets-retired", "old@2027-03-01"),
                StartupChecks.Process.API))
        .isEmpty();
  }

  @Test
  void productionIsSequencerEnvProduction() {
    assertThat(StartupChecks.isProduction(new MockEnvironment())).isFalse();
    assertThat(
            StartupChecks.isProduction(
                new MockEnvironment().withProperty("sequencer.env", " Production ")))
        .isTrue();
  }
}
