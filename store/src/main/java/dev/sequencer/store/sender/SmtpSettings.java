package dev.sequencer.store.sender;

/** A sender's own SMTP account; the password is kept sealed in the store and never returned. */
public record SmtpSettings(
    String host, int port, String username, String password, boolean starttls) {

  @Override
  public String toString() {
    return "SmtpSettings[host=" + host + ", port=" + port + ", username=" + username + "]";
  }
}
