package dev.sequencer.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by the api and the worker, bound from {@code sequencer.*} (environment variables
 * such as {@code SEQUENCER_PUBLIC_URL}, see the README's configuration table).
 *
 * @param publicUrl base of links in messages and of webhook signatures
 * @param apiKey the development organization's API key, registered at start-up
 * @param tokenSecret signs unsubscribe and tracking tokens
 * @param tokenSecretsRetired secrets that signed tokens before the current one, as {@code
 *     secret@yyyy-mm-dd,…} (the day each was retired): their tokens verify for 90 days after
 */
@ConfigurationProperties("sequencer")
public record SequencerProperties(
    String publicUrl,
    String apiKey,
    String tokenSecret,
    String tokenSecretsRetired,
    Twilio twilio,
    Imap imap) {

  public static final String DEVELOPMENT_API_KEY = "dev-api-key";
  private static final String GENERATED_SECRET_PREFIX = "generated:";

  public SequencerProperties {
    publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://localhost:8080" : publicUrl;
    apiKey = apiKey == null || apiKey.isBlank() ? DEVELOPMENT_API_KEY : apiKey;
    if (tokenSecret == null || tokenSecret.isBlank()) {
      // Links then work only within this process's life; separate api and worker processes need
      // the same configured secret (see the README).
      tokenSecret =
          GENERATED_SECRET_PREFIX + java.util.UUID.randomUUID() + java.util.UUID.randomUUID();
    }
    tokenSecretsRetired = tokenSecretsRetired == null ? "" : tokenSecretsRetired;
    twilio = twilio == null ? new Twilio(null, null, null, null) : twilio;
    imap = imap == null ? new Imap(null, 0, null, null, false, null) : imap;
  }

  /** No SEQUENCER_TOKEN_SECRET was set: links are signed with a secret made for this process. */
  public boolean usesGeneratedTokenSecret() {
    return tokenSecret.startsWith(GENERATED_SECRET_PREFIX);
  }

  public boolean usesDevelopmentApiKey() {
    return DEVELOPMENT_API_KEY.equals(apiKey);
  }

  /**
   * @param helpText the answer to HELP and INFO
   */
  /**
   * @param apiBaseUrl where Twilio's REST API is; changed only for a proxy or a local stand-in
   */
  public record Twilio(String accountSid, String authToken, String apiBaseUrl, String helpText) {
    public boolean sendsThroughTwilio() {
      return accountSid != null
          && !accountSid.isBlank()
          && authToken != null
          && !authToken.isBlank();
    }

    @Override
    public String toString() {
      return "Twilio[accountSid=" + accountSid + ", authToken=***, apiBaseUrl=" + apiBaseUrl + "]";
    }
  }

  public record Imap(
      String host, int port, String username, String password, boolean ssl, Duration pollInterval) {
    @Override
    public String toString() {
      return "Imap[host=" + host + ", port=" + port + ", username=" + username + ", password=***]";
    }
  }

  @Override
  public String toString() {
    return "SequencerProperties[publicUrl="
        + publicUrl
        + ", apiKey=***, tokenSecret=***, tokenSecretsRetired=***, twilio="
        + twilio
        + ", imap="
        + imap
        + "]";
  }
}
