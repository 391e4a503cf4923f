package dev.sequencer.activities.messaging;

/**
 * A sender's own SMTP relay, used instead of the service's default one. The connection is plain or,
 * with {@code starttls}, upgraded with STARTTLS before authentication (which it then requires);
 * {@code username} null sends without authentication.
 *
 * <p>{@link #toString()} leaves the password out, so that an account may be logged.
 */
public record SmtpAccount(
    String host, int port, String username, String password, boolean starttls) {

  public SmtpAccount {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("an SMTP account needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("an SMTP port is between 1 and 65535, not " + port);
    }
  }

  @Override
  public String toString() {
    return "SmtpAccount[host="
        + host
        + ", port="
        + port
        + ", username="
        + username
        + ", password="
        + (password == null ? "null" : "(hidden)")
        + ", starttls="
        + starttls
        + "]";
  }
}
