package dev.sequencer.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "grace@example.com;grace@example.com",
        "  Grace.Hopper@Example.COM \t;grace.hopper@example.com",
        "a+tag@sub.example.co.uk;a+tag@sub.example.co.uk",
        "o'brien@example.ie;o'brien@example.ie",
        "first_last-99@mail-server.example.org;first_last-99@mail-server.example.org",
        "x@a.io;x@a.io",
        "user%relay@example.com;user%relay@example.com",
        "{tag}!#$&*=?^`|~@example.com;{tag}!#$&*=?^`|~@example.com",
        "ada@xn--bcher-kva.de;ada@xn--bcher-kva.de",
      })
  void acceptsAndNormalisesPlainAddresses(String raw, String expected) {
    assertThat(EmailAddresses.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void rejectsEmptyInput(String raw) {
    assertThatThrownBy(() -> EmailAddresses.normalize(raw))
        .isInstanceOf(InvalidEmailAddressException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Email address is empty");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "grace",
        "grace@",
        "@example.com",
        "grace@@example.com",
        "grace@example..com",
        "grace..hopper@example.com",
        ".grace@example.com",
        "grace.@example.com",
        "grace@example.com.",
        "gra ce@example.com",
        "grace@exam ple.com",
        "grace@example,com",
        "grace(comment)@example.com",
      })
  void rejectsMalformedAddresses(String raw) {
    assertThatThrownBy(() -> EmailAddresses.normalize(raw))
        .isInstanceOf(InvalidEmailAddressException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Grace Hopper <grace@example.com>",
        "<grace@example.com>",
        "grace@example.com (Grace)",
        "\"Grace\" <grace@example.com>",
      })
  void rejectsDisplayNames(String raw) {
    assertThatThrownBy(() -> EmailAddresses.normalize(raw))
        .isInstanceOf(InvalidEmailAddressException.class);
  }

  static Stream<Arguments> refusalsAndWhatTheySay() {
    String controls = "Email address contains control characters";
    return Stream.of(
        Arguments.of("Grace Hopper <grace@example.com>", EmailAddresses.BARE_ADDRESS),
        Arguments.of("<grace@example.com>", EmailAddresses.BARE_ADDRESS),
        Arguments.of("grace@example.com (Grace)", EmailAddresses.BARE_ADDRESS),
        Arguments.of("\"Grace\" <grace@example.com>", EmailAddresses.BARE_ADDRESS),
        Arguments.of("a\u0000b@example.com", controls),
        Arguments.of("grace@example.com\r\nBcc: x@example.org", controls),
        Arguments.of("gra\tce@example.com", controls),
        Arguments.of("grace\u007f@example.com", controls),
        // JMail takes a backslash escape outside quotes; a dot-atom has none.
        Arguments.of("grace\\@home@example.com", EmailAddresses.LOCAL_PART),
        Arguments.of("gra\\ ce@example.com", EmailAddresses.LOCAL_PART),
        Arguments.of("\"gr.ace\"@example.com", EmailAddresses.LOCAL_PART));
  }

  @ParameterizedTest
  @MethodSource("refusalsAndWhatTheySay")
  void refusalsSayWhatIsWrong(String raw, String message) {
    refused(raw).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "grace@example.com, ada@example.com",
        "grace@example.com,ada@example.com",
        "grace@example.com;ada@example.com",
        "team: grace@example.com, ada@example.com;",
      })
  void rejectsListsAndGroups(String raw) {
    assertThatThrownBy(() -> EmailAddresses.normalize(raw))
        .isInstanceOf(InvalidEmailAddressException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grace@localhost", "grace@example", "root@intranet-host"})
  void rejectsDomainsWithoutADot(String raw) {
    assertThatThrownBy(() -> EmailAddresses.normalize(raw))
        .isInstanceOf(InvalidEmailAddressException.class)
        .hasMessage("Email address domain must be a host name with a dot, like example.com");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "grace@[127.0.0.1]",
        "grace@127.0.0.1",
        "grace@-example.com",
        "grace@example-.com",
        "grace@exa_mple.com",
        "grace@example.c0m1",
        "grace@example.c",
        "grace@example.com-",
      })
  void rejectsDomainsThatAreNotHostNames(String raw) {
    refused(raw).hasMessage(EmailAddresses.HOST_NAME);
  }

  @Test
  void rejectsQuotedLocalParts() {
    assertThatThrownBy(() -> EmailAddresses.normalize("\"grace hopper\"@example.com"))
        .isInstanceOf(InvalidEmailAddressException.class);
    assertThatThrownBy(() -> EmailAddresses.normalize("\"grace\"@example.com"))
        .isInstanceOf(InvalidEmailAddressException.class)
        .hasMessage(EmailAddresses.LOCAL_PART);
  }

  @Test
  void rejectsNonAsciiAddresses() {
    assertThatThrownBy(() -> EmailAddresses.normalize("müller@example.de"))
        .isInstanceOf(InvalidEmailAddressException.class)
        .hasMessage("Email address contains non-ASCII characters");
    assertThatThrownBy(() -> EmailAddresses.normalize("ada@bücher.de"))
        .isInstanceOf(InvalidEmailAddressException.class);
  }

  @Test
  void acceptsExactly254CharactersAndNoMore() {
    String domain = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".com";
    String at254 = "g".repeat(254 - 1 - domain.length()) + "@" + domain;
    assertThat(at254).hasSize(254);
    assertThat(EmailAddresses.normalize(at254)).isEqualTo(at254);
    assertThatThrownBy(() -> EmailAddresses.normalize("g" + at254))
        .isInstanceOf(InvalidEmailAddressException.class)
        .hasMessage("Email address is longer than 254 characters");
  }

  @Test
  void lengthLimitAppliesAfterTrimming() {
    String domain = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".com";
    String at254 = "g".repeat(254 - 1 - domain.length()) + "@" + domain;
    assertThat(EmailAddresses.normalize("  " + at254 + "  ")).hasSize(254);
  }

  @Test
  void rejectsLocalPartOver64Characters() {
    assertThat(EmailAddresses.normalize("g".repeat(64) + "@example.com")).startsWith("ggg");
    assertThatThrownBy(() -> EmailAddresses.normalize("g".repeat(65) + "@example.com"))
        .isInstanceOf(InvalidEmailAddressException.class)
        .hasMessage(EmailAddresses.LOCAL_PART);
  }

  @Test
  void rejectsDomainLabelOver63Characters() {
    assertThatThrownBy(() -> EmailAddresses.normalize("grace@" + "a".repeat(64) + ".com"))
        .isInstanceOf(InvalidEmailAddressException.class);
  }

  @Test
  void domainIsLowerCased() {
    assertThat(EmailAddresses.domain("grace@example.com")).isEqualTo("example.com");
    assertThat(EmailAddresses.domain(" Grace@Mail.Example.COM ")).isEqualTo("mail.example.com");
  }

  @Test
  void domainOfInvalidAddressIsRejected() {
    assertThatThrownBy(() -> EmailAddresses.domain("not-an-address"))
        .isInstanceOf(InvalidEmailAddressException.class);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(String raw) {
    return assertThatThrownBy(() -> EmailAddresses.normalize(raw))
        .isInstanceOf(InvalidEmailAddressException.class);
  }
}
