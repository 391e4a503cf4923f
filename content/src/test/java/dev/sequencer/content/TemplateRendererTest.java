package dev.sequencer.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateRendererTest {

  private final TemplateRenderer renderer = new TemplateRenderer();

  private static final Map<String, Object> GRACE =
      Map.of(
          "first_name", "Grace",
          "last_name", "Hopper",
          "company", "Navy",
          "title", "CTO");

  private String plain(String template, Map<String, ?> variables) {
    return renderer.render(template, variables, Escaping.NONE);
  }

  private String html(String template, Map<String, ?> variables) {
    return renderer.render(template, variables, Escaping.HTML);
  }

  @Nested
  class Variables {

    @Test
    void substitutesValues() {
      assertThat(plain("Quick idea for {{company}}, {{first_name}} {{last_name}}", GRACE))
          .isEqualTo("Quick idea for Navy, Grace Hopper");
    }

    @Test
    void toleratesWhitespaceInsideTags() {
      assertThat(plain("Hi {{ first_name }} at {{\tcompany }}", GRACE))
          .isEqualTo("Hi Grace at Navy");
    }

    @Test
    void missingVariableWithoutFallbackRendersEmpty() {
      assertThat(plain("Hi {{first_name}}, how is {{city}}?", GRACE))
          .isEqualTo("Hi Grace, how is ?");
    }

    @Test
    void nullVariableRendersEmpty() {
      Map<String, Object> variables = new HashMap<>();
      variables.put("first_name", null);
      assertThat(plain("Hi {{first_name}}!", variables)).isEqualTo("Hi !");
    }

    @Test
    void nullVariableMapRendersLikeEmptyMap() {
      assertThat(plain("Hi {{first_name|there}}{{company}}", null)).isEqualTo("Hi there");
    }

    @Test
    void nonStringValuesAreWrittenWithToString() {
      assertThat(plain("{{seats}} seats, {{discount}}% off", Map.of("seats", 42, "discount", 12.5)))
          .isEqualTo("42 seats, 12.5% off");
    }

    @Test
    void dottedNamesReachNestedMaps() {
      Map<String, Object> variables = Map.of("account", Map.of("city", "Arlington"));
      assertThat(plain("See you in {{account.city}}", variables)).isEqualTo("See you in Arlington");
      assertThat(plain("See you in {{account.city|town}}", variables))
          .isEqualTo("See you in Arlington");
      assertThat(plain("See you in {{account.state|your state}}", variables))
          .isEqualTo("See you in your state");
    }

    @Test
    void templateWithoutTagsIsReturnedUnchanged() {
      String text = "No tags here: {single braces} and }} stray closers.\nSecond line.";
      assertThat(plain(text, GRACE)).isEqualTo(text);
    }

    @Test
    void emptyTemplateRendersEmpty() {
      assertThat(plain("", GRACE)).isEmpty();
    }
  }

  @Nested
  class Fallbacks {

    @Test
    void fallbackIsUsedWhenVariableIsMissing() {
      assertThat(plain("Hi {{first_name|there}},", Map.of())).isEqualTo("Hi there,");
    }

    @Test
    void valueWinsOverFallback() {
      assertThat(plain("Hi {{first_name|there}},", GRACE)).isEqualTo("Hi Grace,");
    }

    @Test
    void fallbackIsUsedForNullValue() {
      Map<String, Object> variables = new HashMap<>();
      variables.put("first_name", null);
      assertThat(plain("Hi {{first_name|there}},", variables)).isEqualTo("Hi there,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t", "\n "})
    void fallbackIsUsedForBlankValue(String blank) {
      assertThat(plain("Hi {{first_name|there}},", Map.of("first_name", blank)))
          .isEqualTo("Hi there,");
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = ';',
        value = {
          "Hi {{ first_name | there }}!;Hi there!",
          "Hi {{first_name| there}}!;Hi there!",
          "Hi {{first_name |there}}!;Hi there!",
          "Hi {{  first_name  |  there  }}!;Hi there!",
          "Hi {{\tfirst_name\t|\tthere\t}}!;Hi there!"
        })
    void whitespaceAroundNameAndFallbackIsIgnored(String template, String expected) {
      assertThat(plain(template, Map.of())).isEqualTo(expected);
      assertThat(plain(template, GRACE)).isEqualTo("Hi Grace!");
    }

    @Test
    void fallbackMayContainSpacesAndPunctuation() {
      assertThat(plain("Quick idea for {{ company | your team, Inc. (and friends!) }}.", Map.of()))
          .isEqualTo("Quick idea for your team, Inc. (and friends!).");
    }

    @Test
    void fallbackMayContainDotsColonsQuotesAndBars() {
      assertThat(plain("{{title|V.P. of \"R&D\": a|b}}", Map.of()))
          .isEqualTo("V.P. of \"R&D\": a|b");
    }

    @Test
    void fallbackMayContainSingleBraces() {
      assertThat(plain("{{company|{acme} }}", Map.of())).isEqualTo("{acme}");
    }

    @Test
    void emptyFallbackRendersEmpty() {
      assertThat(plain("Hi{{ first_name | }}!", Map.of())).isEqualTo("Hi!");
    }

    @Test
    void sameVariableWithDifferentFallbacks() {
      assertThat(plain("{{company|your team}} / {{company|you}} / {{company}}", Map.of()))
          .isEqualTo("your team / you / ");
    }
  }

  @Nested
  class HtmlEscaping {

    @Test
    void escapesValuesUnderHtml() {
      Map<String, Object> variables = Map.of("company", "<b>Smith & Sons</b> \"Ltd\" 'UK'");
      assertThat(html("<p>Hello {{company}}</p>", variables))
          .isEqualTo(
              "<p>Hello &lt;b&gt;Smith &amp; Sons&lt;/b&gt; &quot;Ltd&quot; &#39;UK&#39;</p>");
    }

    @Test
    void leavesValuesAloneUnderNone() {
      Map<String, Object> variables = Map.of("company", "<b>Smith & Sons</b>");
      assertThat(plain("<p>Hello {{company}}</p>", variables))
          .isEqualTo("<p>Hello <b>Smith & Sons</b></p>");
    }

    @Test
    void escapesValuesOfFallbackTags() {
      Map<String, Object> variables = Map.of("company", "AT&T");
      assertThat(html("<p>{{company|your team}}</p>", variables)).isEqualTo("<p>AT&amp;T</p>");
    }

    @Test
    void fallbackTextIsTemplateTextAndNotEscaped() {
      assertThat(html("<p>{{company|<i>your</i> team}}</p>", Map.of()))
          .isEqualTo("<p><i>your</i> team</p>");
    }

    @Test
    void tripleMustacheAndAmpersandAreNotEscaped() {
      Map<String, Object> variables = Map.of("signature", "<b>Ada</b>");
      assertThat(html("{{{signature}}} {{&signature}} {{signature}}", variables))
          .isEqualTo("<b>Ada</b> <b>Ada</b> &lt;b&gt;Ada&lt;/b&gt;");
    }

    @Test
    void tripleMustacheWithFallback() {
      assertThat(html("{{{ signature | <i>The team</i> }}}", Map.of()))
          .isEqualTo("<i>The team</i>");
      assertThat(html("{{{signature|x}}}", Map.of("signature", "<b>Ada</b>")))
          .isEqualTo("<b>Ada</b>");
    }

    @Test
    void templateTextIsNeverEscaped() {
      assertThat(html("<a href=\"https://x.test/?a=1&b=2\">Tom & Jerry</a>", Map.of()))
          .isEqualTo("<a href=\"https://x.test/?a=1&b=2\">Tom & Jerry</a>");
    }
  }

  @Nested
  class Sections {

    @Test
    void sectionRendersWhenValuePresent() {
      String template = "Hi {{first_name}}{{#company}} from {{company}}{{/company}}!";
      assertThat(plain(template, GRACE)).isEqualTo("Hi Grace from Navy!");
      assertThat(plain(template, Map.of("first_name", "Ada"))).isEqualTo("Hi Ada!");
      assertThat(plain(template, Map.of("first_name", "Ada", "company", " "))).isEqualTo("Hi Ada!");
    }

    @Test
    void invertedSectionRendersWhenValueMissingOrBlank() {
      String template = "{{^company}}your team{{/company}}{{#company}}{{company}}{{/company}}";
      assertThat(plain(template, Map.of())).isEqualTo("your team");
      assertThat(plain(template, Map.of("company", ""))).isEqualTo("your team");
      assertThat(plain(template, GRACE)).isEqualTo("Navy");
    }

    @Test
    void booleanSections() {
      String template = "{{#vip}}VIP {{/vip}}{{^vip}}regular {{/vip}}{{first_name}}";
      assertThat(plain(template, Map.of("vip", true, "first_name", "Ada"))).isEqualTo("VIP Ada");
      assertThat(plain(template, Map.of("vip", false, "first_name", "Ada")))
          .isEqualTo("regular Ada");
    }

    @Test
    void listSectionsIterateWithDotAndEnclosingVariables() {
      Map<String, Object> variables =
          Map.of("first_name", "Grace", "products", List.of("Compiler", "COBOL"));
      assertThat(plain("{{#products}}{{first_name}} likes {{.}}. {{/products}}", variables))
          .isEqualTo("Grace likes Compiler. Grace likes COBOL. ");
    }

    @Test
    void fallbackInsideSectionUsesItemThenEnclosingThenFallback() {
      Map<String, Object> variables =
          Map.of(
              "name",
              "everyone",
              "people",
              List.of(Map.of("name", "Ada"), Map.of("name", " "), Map.of()));
      assertThat(plain("{{#people}}[{{name|friend}}]{{/people}}", variables))
          .isEqualTo("[Ada][friend][everyone]");
      assertThat(
              plain(
                  "{{#people}}[{{name|friend}}]{{/people}}",
                  Map.of("people", variables.get("people"))))
          .isEqualTo("[Ada][friend][friend]");
    }

    @Test
    void standaloneSectionLinesLeaveNoBlankLines() {
      String template = "Hi {{first_name}},\n{{#company}}\nHow is {{company}}?\n{{/company}}\nBye";
      assertThat(plain(template, GRACE)).isEqualTo("Hi Grace,\nHow is Navy?\nBye");
      assertThat(plain(template, Map.of("first_name", "Ada"))).isEqualTo("Hi Ada,\nBye");
    }

    @Test
    void commentsAreDropped() {
      assertThat(plain("Hi {{! greet them by name }}{{first_name}}", GRACE)).isEqualTo("Hi Grace");
      assertThat(plain("Hi {{! a comment\nover two lines }}{{first_name}}", GRACE))
          .isEqualTo("Hi Grace");
    }

    @Test
    void valuesCannotReachJavaMethods() {
      assertThat(plain("{{#company}}{{class}}{{length}}{{bytes}}{{/company}}", GRACE)).isEmpty();
    }
  }

  @Nested
  class VariableListing {

    @Test
    void listsVariablesWithFallbacksInOrder() {
      String template =
          "Hi {{ first_name | there }}, quick idea for {{company}} ({{ title|your role }}).";
      assertThat(renderer.variables(template))
          .containsExactly(
              new TemplateVariable("first_name", "there"),
              new TemplateVariable("company", null),
              new TemplateVariable("title", "your role"));
    }

    @Test
    void repeatsAreListedOnceButDifferentFallbacksAreKept() {
      String template = "{{company}} {{company}} {{company|you}} {{company|you}} {{company|team}}";
      assertThat(renderer.variables(template))
          .containsExactly(
              new TemplateVariable("company", null),
              new TemplateVariable("company", "you"),
              new TemplateVariable("company", "team"));
    }

    @Test
    void includesSectionNamesAndUnescapedTagsButNotDotOrComments() {
      String template =
          "{{#products}}{{.}}{{/products}}{{^vip}}x{{/vip}}{{{signature}}}{{&footer}}{{! note }}";
      assertThat(renderer.variables(template))
          .extracting(TemplateVariable::name)
          .containsExactly("products", "vip", "signature", "footer");
    }

    @Test
    void emptyFallbackIsNotNull() {
      assertThat(renderer.variables("{{first_name|}}"))
          .containsExactly(new TemplateVariable("first_name", ""));
      assertThat(renderer.variables("{{first_name|}}").get(0).hasFallback()).isTrue();
    }

    @Test
    void templateWithoutVariables() {
      assertThat(renderer.variables("Hello there")).isEmpty();
    }
  }

  @Nested
  class UnknownVariables {

    private final Set<String> known = TemplateRenderer.STANDARD_VARIABLES;

    @Test
    void standardVariablesAreTheSixLeadFields() {
      assertThat(TemplateRenderer.STANDARD_VARIABLES)
          .containsExactlyInAnyOrder(
              "first_name", "last_name", "company", "email", "phone", "title");
      assertThatThrownBy(() -> TemplateRenderer.STANDARD_VARIABLES.add("city"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void reportsUnknownNamesWithoutFallbackInOrderWithoutRepeats() {
      String template =
          "Hi {{first_nmae}}, how is {{city}}? {{first_nmae}} {{company}} {{ industry }} {{city}}";
      assertThat(renderer.unknownVariables(template, known))
          .containsExactly("first_nmae", "city", "industry");
    }

    @Test
    void namesWithFallbackAreNeverUnknown() {
      assertThat(renderer.unknownVariables("{{city|your city}} {{ region | }}", known)).isEmpty();
    }

    @Test
    void nameUsedOnceWithoutFallbackIsUnknown() {
      assertThat(renderer.unknownVariables("{{city|your city}} and {{city}}", known))
          .containsExactly("city");
    }

    @Test
    void attributeKeysBecomeKnownWhenAdded() {
      Set<String> withAttributes = new java.util.HashSet<>(known);
      withAttributes.add("city");
      assertThat(renderer.unknownVariables("{{first_name}} in {{city}}", withAttributes)).isEmpty();
    }

    @Test
    void sectionNamesAreChecked() {
      assertThat(renderer.unknownVariables("{{#vip}}Hi{{/vip}}{{#company}}!{{/company}}", known))
          .containsExactly("vip");
    }

    @Test
    void namesAreCaseSensitive() {
      assertThat(renderer.unknownVariables("{{First_Name}}", known)).containsExactly("First_Name");
    }

    @Test
    void syntaxErrorsAreReportedRatherThanIgnored() {
      assertThatThrownBy(() -> renderer.unknownVariables("Hi {{first_name", known))
          .isInstanceOf(TemplateSyntaxException.class);
    }
  }

  @Nested
  class SyntaxErrors {

    private TemplateSyntaxException syntaxError(String template) {
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(() -> plain(template, GRACE));
      assertThat(thrown).isInstanceOf(TemplateSyntaxException.class);
      assertThatThrownBy(() -> renderer.variables(template))
          .isInstanceOf(TemplateSyntaxException.class)
          .hasMessage(thrown.getMessage());
      return (TemplateSyntaxException) thrown;
    }

    @Test
    void isAnIllegalArgumentException() {
      assertThat(syntaxError("{{")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unclosedTagAtEnd() {
      TemplateSyntaxException e = syntaxError("Hi {{first_name");
      assertThat(e).hasMessage("Unclosed tag: '{{' has no matching '}}' at line 1, column 4");
      assertThat(e.line()).isEqualTo(1);
      assertThat(e.column()).isEqualTo(4);
    }

    @Test
    void unclosedTagBeforeAnotherTag() {
      TemplateSyntaxException e = syntaxError("Hi {{first_name, welcome to {{company}}");
      assertThat(e)
          .hasMessage("Unclosed tag: '{{' is not closed before the next '{{' at line 1, column 4");
    }

    @Test
    void unclosedTagOnItsLine() {
      TemplateSyntaxException e = syntaxError("Hello,\nHi {{first_name\nsee you }}");
      assertThat(e)
          .hasMessage("Unclosed tag: '{{' is not closed on the same line at line 2, column 4");
      assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void unclosedTripleMustache() {
      assertThat(syntaxError("{{{signature}}"))
          .hasMessage("Unclosed tag: '{{{' has no matching '}}}' at line 1, column 1");
    }

    @Test
    void emptyTag() {
      assertThat(syntaxError("Hi {{ }}")).hasMessage("Empty tag '{{}}' at line 1, column 4");
    }

    @Test
    void sectionNeverClosed() {
      assertThat(syntaxError("Hi\n{{#company}}at {{company}}"))
          .hasMessage("Section 'company' is never closed: add {{/company}} at line 2, column 1");
    }

    @Test
    void closingWithoutOpening() {
      assertThat(syntaxError("Hi{{/company}}"))
          .hasMessage(
              "Closing tag '{{/company}}' has no matching opening section at line 1, column 3");
    }

    @Test
    void crossedSections() {
      assertThat(syntaxError("{{#a}}{{#b}}x{{/a}}{{/b}}"))
          .hasMessage(
              "Section 'b' (opened at line 1, column 7) is closed by '{{/a}}'; expected '{{/b}}'"
                  + " at line 1, column 14");
    }

    @Test
    void invalidVariableName() {
      assertThat(syntaxError("Hi {{first name}}"))
          .hasMessageStartingWith("Invalid variable name 'first name'");
      assertThat(syntaxError("{{company.}}")).hasMessageStartingWith("Invalid variable name");
      assertThat(syntaxError("{{ | there }}")).hasMessageStartingWith("Tag has no variable name");
    }

    @Test
    void sectionWithFallback() {
      assertThat(syntaxError("{{#company|x}}y{{/company}}"))
          .hasMessage("Section '{{#company|x}}' cannot have a fallback at line 1, column 1");
    }

    @Test
    void dotOutsideSection() {
      assertThat(syntaxError("{{.}}"))
          .hasMessageStartingWith("'{{.}}' can only be used inside a section");
    }

    @Test
    void unsupportedMustacheFeatures() {
      assertThat(syntaxError("{{> footer}}")).hasMessageStartingWith("Partials");
      assertThat(syntaxError("{{=<% %>=}}")).hasMessageStartingWith("Changing delimiters");
      assertThat(syntaxError("{{<layout}}{{/layout}}"))
          .hasMessageStartingWith("Template inheritance");
    }

    @Test
    void columnCountsFromTheStartOfTheLine() {
      TemplateSyntaxException e = syntaxError("line one\nline two\n  {{#x}}");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.column()).isEqualTo(3);
    }
  }

  @Test
  void isSafeToShareAcrossThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        Map<String, Object> variables = n % 2 == 0 ? Map.of("first_name", "Lead" + n) : Map.of();
        results.add(
            pool.submit(
                () ->
                    renderer.render(
                        "Hi {{first_name|there}} #" + n % 7, variables, Escaping.HTML)));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get())
            .isEqualTo("Hi " + (i % 2 == 0 ? "Lead" + i : "there") + " #" + i % 7);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void doesNotModifyTheCallersMap() {
    Map<String, Object> variables = new HashMap<>(Map.of("company", " "));
    plain("{{company|x}}{{#company}}y{{/company}}", Collections.unmodifiableMap(variables));
    assertThat(variables).containsExactly(Map.entry("company", " "));
  }
}
