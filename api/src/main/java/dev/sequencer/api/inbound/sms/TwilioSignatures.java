package dev.sequencer.api.inbound.sms;

import com.twilio.security.RequestValidator;
import dev.sequencer.config.SequencerProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Proves that a webhook request comes from Twilio: its {@code X-Twilio-Signature} must be Twilio's
 * HMAC-SHA1 of the configured public URL of the request (never the Host header, which the caller
 * chooses) and its form parameters, keyed with the account's auth token. Without an auth token no
 * request is genuine.
 */
@Component
class TwilioSignatures {

  static final String HEADER = "X-Twilio-Signature";

  private static final Logger log = LoggerFactory.getLogger(TwilioSignatures.class);

  private final SequencerProperties properties;

  TwilioSignatures(SequencerProperties properties) {
    this.properties = properties;
  }

  /**
   * The request's form parameters when its signature is valid, else empty.
   *
   * @return the body's form fields, one value each (Twilio never repeats a field)
   */
  Optional<Map<String, String>> verifiedParameters(HttpServletRequest request) {
    String token = properties.twilio().authToken();
    if (token == null || token.isBlank()) {
      log.warn(
          "Twilio webhook {} refused: TWILIO_AUTH_TOKEN is not configured, so no signature can"
              + " be checked",
          request.getRequestURI());
      return Optional.empty();
    }
    String signature = request.getHeader(HEADER);
    if (signature == null || signature.isBlank()) {
      log.warn("Twilio webhook {} refused: no {} header", request.getRequestURI(), HEADER);
      return Optional.empty();
    }
    Map<String, String> parameters = formParameters(request);
    if (parameters == null) {
      log.warn("Twilio webhook {} refused: a form field is repeated", request.getRequestURI());
      return Optional.empty();
    }
    RequestValidator validator = new RequestValidator(token);
    for (String url : signedUrls(request)) {
      try {
        if (validator.validate(url, parameters, signature)) {
          return Optional.of(parameters);
        }
      } catch (RuntimeException e) {
        log.debug("signature check against {} failed", url, e);
      }
    }
    log.warn("Twilio webhook {} refused: {} does not match", request.getRequestURI(), HEADER);
    return Optional.empty();
  }

  /** The URL Twilio signed: the configured public URL, the request's path and query string. */
  private Set<String> signedUrls(HttpServletRequest request) {
    String base = properties.publicUrl();
    String query = request.getQueryString();
    String suffix = request.getRequestURI() + (query == null ? "" : "?" + query);
    Set<String> urls = new LinkedHashSet<>();
    urls.add(base + suffix);
    if (base.endsWith("/")) {
      urls.add(base.substring(0, base.length() - 1) + suffix);
    }
    return urls;
  }

  /**
   * The fields of the form body. The servlet container merges query-string parameters into the
   * request's parameters (query values first); Twilio signs those as part of the URL, not as
   * fields, so they are taken out again.
   *
   * @return null when a field has more than one value
   */
  static Map<String, String> formParameters(HttpServletRequest request) {
    Map<String, Integer> inQuery = new HashMap<>();
    String query = request.getQueryString();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        try {
          inQuery.merge(URLDecoder.decode(name, StandardCharsets.UTF_8), 1, Integer::sum);
        } catch (IllegalArgumentException e) {
          inQuery.merge(name, 1, Integer::sum);
        }
      }
    }
    Map<String, String> fields = new HashMap<>();
    for (Map.Entry<String, String[]> entry : request.getParameterMap().entrySet()) {
      String[] values = entry.getValue();
      int skip = Math.min(inQuery.getOrDefault(entry.getKey(), 0), values.length);
      int remaining = values.length - skip;
      if (remaining > 1) {
        return null;
      }
      if (remaining == 1) {
        fields.put(entry.getKey(), values[skip]);
      }
    }
    return fields;
  }
}
