package dev.sequencer.store.sender;

/** The DKIM key a sender's mail is signed with; the private key is kept sealed, never returned. */
public record DkimSettings(String domain, String selector, String privateKeyPem) {

  @Override
  public String toString() {
    return "DkimSettings[domain=" + domain + ", selector=" + selector + "]";
  }
}
