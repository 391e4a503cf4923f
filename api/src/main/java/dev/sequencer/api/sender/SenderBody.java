package dev.sequencer.api.sender;

/**
 * The body of {@code POST /api/v1/senders}; a PATCH names only the parts it changes.
 *
 * @param dailyLimit sends a day across all campaigns; null: no limit
 * @param minSpacingSeconds least time between two of its sends
 * @param timezone the zone whose days the daily limit counts (default UTC)
 */
record SenderBody(
    String channel,
    String email,
    String phone,
    String name,
    Integer dailyLimit,
    Ramp ramp,
    Integer minSpacingSeconds,
    String timezone,
    Smtp smtp,
    Imap imap,
    Dkim dkim) {

  /**
   * A new mailbox's first day's sends, and how many more each day after, up to the limit.
   *
   * @param from the ramp's first day (ISO date, the sender's zone); default the day it is set
   */
  record Ramp(Integer start, Integer increasePerDay, String from) {}

  record Smtp(String host, Integer port, String username, String password, Boolean starttls) {
    @Override
    public String toString() {
      return "Smtp[host=" + host + ", port=" + port + ", username=" + username + "]";
    }
  }

  record Imap(String host, Integer port, String username, String password, Boolean ssl) {
    @Override
    public String toString() {
      return "Imap[host=" + host + ", port=" + port + ", username=" + username + "]";
    }
  }

  record Dkim(String domain, String selector, String privateKeyPem) {
    @Override
    public String toString() {
      return "Dkim[domain=" + domain + ", selector=" + selector + "]";
    }
  }
}
