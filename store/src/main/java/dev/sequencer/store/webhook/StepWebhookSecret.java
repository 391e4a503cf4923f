package dev.sequencer.store.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that signs a campaign's webhook steps (Standard Webhooks, {@code whsec_...}): derived
 * from the service's token secret and the campaign's id, so it needs no storage and every replica
 * signs alike. Rotating {@code SEQUENCER_TOKEN_SECRET} changes it.
 */
public final class StepWebhookSecret {

  private StepWebhookSecret() {}

  public static String of(String tokenSecret, String campaignId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(tokenSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] key = mac.doFinal(("webhook-step:" + campaignId).getBytes(StandardCharsets.UTF_8));
      return "whsec_" + Base64.getEncoder().encodeToString(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
