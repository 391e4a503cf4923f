package dev.sequencer.content;

/**
 * A {@code {{name|text}}} tag of a parsed template.
 *
 * @param escaped whether the tag was a plain {@code {{...}}} tag (value HTML-escaped under {@link
 *     Escaping#HTML}) rather than {@code {{{...}}}} or {@code {{&...}}}
 */
record Fallback(String name, String text, boolean escaped) {}
