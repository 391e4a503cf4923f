package dev.sequencer.workflows.mailbox;

/**
 * What one read of a mailbox came to.
 *
 * @param outcome {@link #READ}, {@link #FAILED} or {@link #GONE} (no campaign or sender uses it any
 *     more)
 * @param processed the messages processed by this read
 * @param error why the read failed, without credentials; null otherwise
 */
public record MailboxPoll(String outcome, int processed, String error) {

  public static final String READ = "read";
  public static final String FAILED = "failed";
  public static final String GONE = "gone";

  public static MailboxPoll read(int processed) {
    return new MailboxPoll(READ, processed, null);
  }

  public static MailboxPoll failed(String error) {
    return new MailboxPoll(FAILED, 0, error);
  }

  public static MailboxPoll gone() {
    return new MailboxPoll(GONE, 0, null);
  }
}
