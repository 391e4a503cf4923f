package dev.sequencer.store.organization;

/** A key just created: the only moment its secret is known. */
public record IssuedKey(ApiKey key, String secret) {

  @Override
  public String toString() {
    return "IssuedKey[key=" + key + ", secret=***]";
  }
}
