package dev.sequencer.api.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Access to the API, bound from {@code sequencer.access.*}.
 *
 * @param adminKey the platform admin key ({@code SEQUENCER_ADMIN_KEY}), which creates organizations
 * @param rateLimit requests per second each key may make ({@code SEQUENCER_RATE_LIMIT})
 * @param rateLimitBurst requests a key may make at once after a quiet spell
 */
@ConfigurationProperties("sequencer.access")
public record AccessProperties(String adminKey, int rateLimit, int rateLimitBurst) {

  public static final String DEVELOPMENT_ADMIN_KEY = "dev-admin-key";

  public AccessProperties {
    adminKey = adminKey == null || adminKey.isBlank() ? DEVELOPMENT_ADMIN_KEY : adminKey;
    rateLimit = rateLimit <= 0 ? 50 : rateLimit;
    rateLimitBurst = rateLimitBurst <= 0 ? 2 * rateLimit : Math.max(rateLimitBurst, rateLimit);
  }

  @Override
  public String toString() {
    return "AccessProperties[adminKey=***, rateLimit="
        + rateLimit
        + ", rateLimitBurst="
        + rateLimitBurst
        + "]";
  }
}
