package dev.sequencer.content.generation;

/**
 * A text a model wrote for one step of one lead.
 *
 * @param step {@code hook}, {@code proof} or {@code fomo}
 * @param subject the email subject, or null (SMS, or a follow-up that goes out as a reply)
 */
public record GeneratedText(String step, String subject, String body) {}
