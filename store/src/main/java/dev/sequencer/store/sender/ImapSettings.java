package dev.sequencer.store.sender;

/** A sender's own IMAP mailbox for replies; the password is kept sealed and never returned. */
public record ImapSettings(String host, int port, String username, String password, boolean ssl) {

  @Override
  public String toString() {
    return "ImapSettings[host=" + host + ", port=" + port + ", username=" + username + "]";
  }
}
