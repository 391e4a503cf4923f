package dev.sequencer.content.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class LinkTokensTest {

  private final LinkTokens tokens = new LinkTokens("a-secret");

  @Test
  void aGenuineTokenGivesBackItsFields() {
    String token = tokens.sign("u", "org_1", "42", "EMAIL");
    assertThat(tokens.verify(token)).contains(List.of("u", "org_1", "42", "EMAIL"));
    assertThat(token).startsWith(LinkTokens.keyId("a-secret") + ".");
  }

  @Test
  void everyOtherSpellingOfTheSignatureIsRefused() {
    String token = tokens.sign("c", "msg_1", "0");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int position = token.length() - 2; position < token.length(); position++) {
      for (char c : alphabet.toCharArray()) {
        if (c == token.charAt(position)) {
          continue;
        }
        String altered = token.substring(0, position) + c + token.substring(position + 1);
        assertThat(tokens.verify(altered)).as(altered).isEmpty();
      }
    }
  }

  @Test
  void alteredFieldsForgedTokensAndOtherSecretsAreRefused() {
    String token = tokens.sign("u", "org_1", "42", "EMAIL");
    String[] mine = token.split("\\.");
    String[] other = new LinkTokens("a-secret").sign("u", "org_1", "43", "EMAIL").split("\\.");
    assertThat(tokens.verify(mine[0] + "." + other[1] + "." + mine[2])).isEmpty();
    assertThat(tokens.verify(new LinkTokens("another-secret").sign("u", "org_1", "42", "EMAIL")))
        .isEmpty();
    // Another secret's token, relabelled with this secret's key id.
    String[] forged =
        new LinkTokens("another-secret").sign("u", "org_1", "42", "EMAIL").split("\\.");
    assertThat(tokens.verify(mine[0] + "." + forged[1] + "." + forged[2])).isEmpty();
    assertThat(tokens.verify("not-a-token")).isEmpty();
    assertThat(tokens.verify("a.b.c")).isEmpty();
    assertThat(tokens.verify("a.b.c.d")).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();
  }

  @Test
  void tokensFromBeforeKeyIdsStillVerify() throws Exception {
    // payload.HMAC-SHA256(payload), both base64url without padding: links in mail already sent.
    byte[] payload = "u|org_1|42|EMAIL".getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("a-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String legacy =
        base64.encodeToString(payload) + "." + base64.encodeToString(mac.doFinal(payload));

    assertThat(tokens.verify(legacy)).contains(List.of("u", "org_1", "42", "EMAIL"));
    assertThat(new LinkTokens("another-secret").verify(legacy)).isEmpty();
  }

  @Test
  void aRetiredSecretVerifiesForNinetyDaysAfterTheDayItWasRetired() {
    String old = new LinkTokens("old-secret").sign("u", "org_1", "42", "EMAIL");
    LocalDate retiredOn = LocalDate.of(2027, 3, 1);
    // Valid through 1 March, then 90 days (2 Mar-1 Apr 30, -1 May 30, -31 May 30): until 31 May.
    LinkTokens dayBefore = rotated(retiredOn, Instant.parse("2027-05-30T23:59:59Z"));
    LinkTokens dayAfter = rotated(retiredOn, Instant.parse("2027-05-31T00:00:00Z"));

    assertThat(dayBefore.verify(old)).contains(List.of("u", "org_1", "42", "EMAIL"));
    assertThat(dayAfter.verify(old)).isEmpty();
    // New tokens are signed with the new secret, which the old one does not verify.
    String fresh = dayBefore.sign("u", "org_1", "42", "EMAIL");
    assertThat(fresh).startsWith(LinkTokens.keyId("new-secret") + ".");
    assertThat(new LinkTokens("old-secret").verify(fresh)).isEmpty();
    assertThat(dayAfter.verify(fresh)).isPresent();
  }

  @Test
  void retiredSecretsAreReadFromTheirSetting() {
    assertThat(LinkTokens.parseRetired(" ")).isEmpty();
    assertThat(LinkTokens.parseRetired("s1@2027-03-01, s2@2026-12-24"))
        .containsExactly(
            new LinkTokens.Retired("s1", LocalDate.of(2027, 3, 1)),
            new LinkTokens.Retired("s2", LocalDate.of(2026, 12, 24)));
    assertThatThrownBy(() -> LinkTokens.parseRetired("s1@2027-03-01,s2"))
        .hasMessage("retired token secret 2 is not secret@yyyy-mm-dd");
    assertThat(new LinkTokens.Retired("s1", LocalDate.of(2027, 3, 1)).toString())
        .doesNotContain("s1");
  }

  private static LinkTokens rotated(LocalDate retiredOn, Instant now) {
    return new LinkTokens(
        "new-secret",
        List.of(new LinkTokens.Retired("old-secret", retiredOn)),
        Clock.fixed(now, ZoneOffset.UTC));
  }
}
