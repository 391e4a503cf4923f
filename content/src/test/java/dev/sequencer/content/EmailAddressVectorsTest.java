package dev.sequencer.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sanctionco.jmail.JMail;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Test vectors written by others, not derived from this code: the examples of RFC 3696 §3, RFC 5322
 * Appendix A and the "Examples" section of Wikipedia's "Email address" article (valid and invalid
 * lists). Each has the verdict of {@link EmailAddresses}:
 *
 * <ul>
 *   <li>{@code ACCEPT}: a plain mailbox, kept;
 *   <li>{@code INVALID}: not an address by RFC 5322 (and so not by JMail either);
 *   <li>{@code POLICY}: a valid RFC 5321/5322 address that mailbox providers do not hand out
 *       (quoted local part, IP literal, no top-level domain, display name, comment), refused on
 *       purpose; the test also checks that JMail's lenient validator takes it, so the refusal is
 *       this project's rule and not a parsing failure.
 * </ul>
 */
class EmailAddressVectorsTest {

  enum Verdict {
    ACCEPT,
    INVALID,
    POLICY
  }

  static Stream<Arguments> vectors() {
    return Stream.of(
        // RFC 3696 §3: "valid" examples without quoting.
        v("customer/department=shipping@example.com", Verdict.ACCEPT),
        v("$A12345@example.com", Verdict.ACCEPT),
        v("!def!xyz%abc@example.com", Verdict.ACCEPT),
        v("_somename@example.com", Verdict.ACCEPT),
        // RFC 3696 §3, quoted forms: valid, refused as quoted local parts.
        v("\"Abc@def\"@example.com", Verdict.POLICY),
        v("\"Fred Bloggs\"@example.com", Verdict.POLICY),
        v("\"Joe\\\\Blow\"@example.com", Verdict.POLICY),
        // RFC 3696 §3's backslash escapes outside quotes: errata 246 and 3563 disagree on them, and
        // RFC 5322 §3.4.1 has no quoted-pair outside a quoted string; refused either way.
        v("Abc\\@def@example.com", null),
        v("Fred\\ Bloggs@example.com", null),
        v("Joe.\\\\Blow@example.com", null),
        // RFC 5322 Appendix A.1: the addr-specs of the examples, and the display-name, group and
        // comment forms around them (header syntax, not a lead's address).
        v("jdoe@machine.example", Verdict.ACCEPT),
        v("mary@example.net", Verdict.ACCEPT),
        v("john.q.public@example.com", Verdict.ACCEPT),
        v("boss@nil.test", Verdict.ACCEPT),
        v("sysservices@example.net", Verdict.ACCEPT),
        v("Mary Smith <mary@x.test>", Verdict.POLICY),
        v("\"Joe Q. Public\" <john.q.public@example.com>", Verdict.POLICY),
        v("pete(his account)@silly.test(his host)", Verdict.POLICY),
        v("c@(Chris's host.)public.example", Verdict.POLICY),
        v("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;", Verdict.INVALID),
        v("Undisclosed recipients:;", Verdict.INVALID),
        // Wikipedia, "Email address", Examples: valid addresses.
        v("simple@example.com", Verdict.ACCEPT),
        v("very.common@example.com", Verdict.ACCEPT),
        v("FirstName.LastName@EasierReading.org", Verdict.ACCEPT),
        v("x@example.com", Verdict.ACCEPT),
        v("long.email-address-with-hyphens@and.subdomains.example.com", Verdict.ACCEPT),
        v("user.name+tag+sorting@example.com", Verdict.ACCEPT),
        v("name/surname@example.com", Verdict.ACCEPT),
        v("example@s.example", Verdict.ACCEPT),
        v("mailhost!username@example.org", Verdict.ACCEPT),
        v("user%example.com@example.org", Verdict.ACCEPT),
        v("user-@example.org", Verdict.ACCEPT),
        v("admin@example", Verdict.POLICY),
        v("\" \"@example.org", Verdict.POLICY),
        v("\"john..doe\"@example.org", Verdict.POLICY),
        v(
            "\"very.(),:;<>[]\\\".VERY.\\\"very@\\\\ \\\"very\\\".unusual\"@strange.example.com",
            Verdict.POLICY),
        v("postmaster@[123.123.123.123]", Verdict.POLICY),
        v("postmaster@[IPv6:2001:0db8:85a3:0000:0000:8a2e:0370:7334]", Verdict.POLICY),
        v("_test@[IPv6:2001:0db8:85a3:0000:0000:8a2e:0370:7334]", Verdict.POLICY),
        // Wikipedia, "Email address", Examples: invalid addresses.
        v("abc.example.com", Verdict.INVALID),
        v("a@b@c@example.com", Verdict.INVALID),
        v("a\"b(c)d,e:f;g<h>i[j\\k]l@example.com", Verdict.INVALID),
        v("just\"not\"right@example.com", Verdict.INVALID),
        v("this is\"not\\allowed@example.com", Verdict.INVALID),
        v("this\\ still\\\"not\\\\allowed@example.com", Verdict.INVALID),
        v(
            "1234567890123456789012345678901234567890123456789012345678901234+x@example.com",
            Verdict.INVALID),
        v("i.like.underscores@but_they_are_not_allowed_in_this_part", Verdict.INVALID));
  }

  /** {@code verdict} null: refused, whatever the sources' disagreement makes of it. */
  private static Arguments v(String address, Verdict verdict) {
    return Arguments.of(address, verdict);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("vectors")
  void verdicts(String address, Verdict verdict) {
    if (verdict == Verdict.ACCEPT) {
      assertThat(EmailAddresses.normalize(address)).isEqualTo(address.toLowerCase(Locale.ROOT));
      return;
    }
    assertThatThrownBy(() -> EmailAddresses.normalize(address))
        .isInstanceOf(InvalidEmailAddressException.class);
    if (verdict == Verdict.INVALID) {
      assertThat(JMail.validator().isValid(address)).as("invalid by the RFCs").isFalse();
    } else if (verdict == Verdict.POLICY) {
      assertThat(JMail.validator().isValid(address)).as("valid by the RFCs").isTrue();
    }
  }
}
