package dev.sequencer.content;

/** How {@link TemplateRenderer} writes variable values into the rendered text. */
public enum Escaping {
  /** Values are written as they are: plain-text email bodies, subjects, SMS. */
  NONE,
  /** Values are HTML-escaped; the template's own text is not. */
  HTML
}
