package dev.sequencer.content;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a template and rewrites it into plain Mustache that jmustache can compile.
 *
 * <p>jmustache has no notion of {@code {{name|fallback}}}: it would look up a variable literally
 * named {@code "name|fallback"}, and split it at any dot in the fallback. Each fallback tag
 * therefore becomes an unescaped slot tag ({@code {{&?fallback-N}}}) that {@link FallbackCollector}
 * resolves to the value or the fallback text. Doing our own scan also gives messages that name the
 * line and column of the offending tag.
 */
final class TemplateParser {

  static final String SLOT_PREFIX = "?fallback-";

  private static final String SEGMENT = "[\\p{L}_][\\p{L}\\p{N}_-]*";
  private static final Pattern NAME = Pattern.compile(SEGMENT + "(?:\\." + SEGMENT + ")*");

  private final String template;
  private final StringBuilder mustache;
  private final List<TemplateVariable> references = new ArrayList<>();
  private final List<Fallback> fallbacks = new ArrayList<>();
  private final Deque<OpenSection> sections = new ArrayDeque<>();

  private TemplateParser(String template) {
    this.template = template;
    this.mustache = new StringBuilder(template.length() + 16);
  }

  static ParsedTemplate parse(String template) {
    return new TemplateParser(template).run();
  }

  private ParsedTemplate run() {
    int pos = 0;
    while (true) {
      int open = template.indexOf("{{", pos);
      if (open < 0) {
        mustache.append(template, pos, template.length());
        break;
      }
      mustache.append(template, pos, open);
      pos = tag(open);
    }
    if (!sections.isEmpty()) {
      OpenSection unclosed = sections.peek();
      throw error(
          "Section '" + unclosed.name() + "' is never closed: add {{/" + unclosed.name() + "}}",
          unclosed.offset());
    }
    return new ParsedTemplate(mustache.toString(), references, fallbacks);
  }

  /** Handles the tag starting at {@code open} and returns the offset just after it. */
  private int tag(int open) {
    boolean triple = template.startsWith("{{{", open);
    String opener = triple ? "{{{" : "{{";
    String closer = triple ? "}}}" : "}}";
    int contentStart = open + opener.length();
    int close = template.indexOf(closer, contentStart);
    if (close < 0) {
      throw error("Unclosed tag: '" + opener + "' has no matching '" + closer + "'", open);
    }
    String content = template.substring(contentStart, close);
    if (content.contains("{{")) {
      throw error("Unclosed tag: '" + opener + "' is not closed before the next '{{'", open);
    }
    String body = content.strip();
    if (body.isEmpty()) {
      throw error("Empty tag '" + opener + closer + "'", open);
    }
    if (body.charAt(0) != '!' && (content.indexOf('\n') >= 0 || content.indexOf('\r') >= 0)) {
      throw error("Unclosed tag: '" + opener + "' is not closed on the same line", open);
    }
    if (triple) {
      variable(body, false, open);
    } else {
      String rest = body.substring(1).strip();
      switch (body.charAt(0)) {
        case '!' -> mustache.append("{{").append(content).append("}}");
        case '#', '^' -> openSection(body.charAt(0), rest, open);
        case '/' -> closeSection(rest, open);
        case '&' -> variable(rest, false, open);
        case '>' -> throw error("Partials ('{{>" + rest + "}}') are not supported", open);
        case '=' -> throw error("Changing delimiters ('{{=...=}}') is not supported", open);
        case '<', '$' -> throw error("Template inheritance is not supported", open);
        default -> variable(body, true, open);
      }
    }
    return close + closer.length();
  }

  private void variable(String body, boolean escaped, int offset) {
    int bar = body.indexOf('|');
    String name = bar < 0 ? body : body.substring(0, bar).strip();
    String fallback = bar < 0 ? null : body.substring(bar + 1).strip();
    if (name.equals(".") && fallback == null) {
      if (sections.isEmpty()) {
        throw error("'{{.}}' can only be used inside a section", offset);
      }
      mustache.append(escaped ? "{{.}}" : "{{&.}}");
      return;
    }
    requireName(name, offset);
    references.add(new TemplateVariable(name, fallback));
    if (fallback == null) {
      mustache.append(escaped ? "{{" : "{{&").append(name).append("}}");
    } else {
      mustache.append("{{&").append(SLOT_PREFIX).append(fallbacks.size()).append("}}");
      fallbacks.add(new Fallback(name, fallback, escaped));
    }
  }

  private void openSection(char sigil, String name, int offset) {
    if (name.indexOf('|') >= 0) {
      throw error("Section '{{" + sigil + name + "}}' cannot have a fallback", offset);
    }
    requireName(name, offset);
    references.add(new TemplateVariable(name, null));
    sections.push(new OpenSection(name, offset));
    mustache.append("{{").append(sigil).append(name).append("}}");
  }

  private void closeSection(String name, int offset) {
    if (sections.isEmpty()) {
      throw error("Closing tag '{{/" + name + "}}' has no matching opening section", offset);
    }
    OpenSection open = sections.pop();
    if (!open.name().equals(name)) {
      int[] opened = lineAndColumn(open.offset());
      throw error(
          "Section '"
              + open.name()
              + "' (opened at line "
              + opened[0]
              + ", column "
              + opened[1]
              + ") is closed by '{{/"
              + name
              + "}}'; expected '{{/"
              + open.name()
              + "}}'",
          offset);
    }
    mustache.append("{{/").append(name).append("}}");
  }

  private void requireName(String name, int offset) {
    if (name.isEmpty()) {
      throw error("Tag has no variable name", offset);
    }
    if (!NAME.matcher(name).matches()) {
      throw error(
          "Invalid variable name '"
              + name
              + "': use letters, digits, '_' and '-', and '.' only between nested names",
          offset);
    }
  }

  private TemplateSyntaxException error(String message, int offset) {
    int[] position = lineAndColumn(offset);
    return new TemplateSyntaxException(
        message + " at line " + position[0] + ", column " + position[1], position[0], position[1]);
  }

  private int[] lineAndColumn(int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (template.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, offset - lineStart + 1};
  }

  private record OpenSection(String name, int offset) {}
}
