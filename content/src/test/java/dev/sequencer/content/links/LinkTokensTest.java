package dev.sequencer.content.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTokensTest {

  private final LinkTokens tokens = new LinkTokens("a-secret");

  @Test
  void aGenuineTokenGivesBackItsFields() {
    String token = tokens.sign("u", "org_1", "42", "EMAIL");
    assertThat(tokens.verify(token)).contains(List.of("u", "org_1", "42", "EMAIL"));
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
    String otherFields = new LinkTokens("a-secret").sign("u", "org_1", "43", "EMAIL");
    String swapped =
        otherFields.substring(0, otherFields.indexOf('.')) + token.substring(token.indexOf('.'));
    assertThat(tokens.verify(swapped)).isEmpty();
    assertThat(tokens.verify(new LinkTokens("another-secret").sign("u", "org_1", "42", "EMAIL")))
        .isEmpty();
    assertThat(tokens.verify("not-a-token")).isEmpty();
    assertThat(tokens.verify("a.b.c")).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();
  }
}
