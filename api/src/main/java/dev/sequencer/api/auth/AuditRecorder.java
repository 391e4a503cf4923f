package dev.sequencer.api.auth;

import dev.sequencer.store.organization.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Writes one audit entry per mutating API call ({@code POST}, {@code PUT}, {@code PATCH}, {@code
 * DELETE}), refused ones included, with the key that made it. The target is what a handler names
 * ({@link #TARGET}: an address, a new key), else the ids in the path.
 */
@Component
public class AuditRecorder {

  /** Request attribute a handler sets to name what the call acted on. */
  public static final String TARGET = "sequencer.audit.target";

  /**
   * Request attribute a handler sets to record another path than the request's: an erasure names
   * the person in its path, which the log must not keep.
   */
  public static final String PATH = "sequencer.audit.path";

  /**
   * Request attribute a platform call sets to file its entry under the organization it made (the
   * platform key belongs to none).
   */
  public static final String ORGANIZATION = "sequencer.audit.organization";

  private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);
  private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final int MAX_TARGET = 300;

  private final AuditWriter writer;
  private final Clock clock;

  AuditRecorder(AuditWriter writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  void recordIfMutating(HttpServletRequest request, HttpServletResponse response, Caller caller) {
    if (!MUTATING.contains(request.getMethod())) {
      return;
    }
    String organization =
        caller.organizationId() != null
            ? caller.organizationId()
            : (String) request.getAttribute(ORGANIZATION);
    if (organization == null) {
      return;
    }
    try {
      writer.write(
          new AuditLog.Entry(
              organization,
              clock.instant(),
              caller.keyId(),
              request.getMethod(),
              request.getAttribute(PATH) instanceof String path ? path : request.getRequestURI(),
              response.getStatus(),
              target(request)));
    } catch (RuntimeException e) {
      // The call has its answer already; losing its entry is logged loudly rather than hidden.
      log.error(
          "audit entry not written for {} {} by key {}: {}",
          request.getMethod(),
          request.getRequestURI(),
          caller.keyId(),
          e.toString());
    }
  }

  private static String target(HttpServletRequest request) {
    Object named = request.getAttribute(TARGET);
    String target;
    if (named != null) {
      target = named.toString();
    } else {
      @SuppressWarnings("unchecked")
      Map<String, String> variables =
          (Map<String, String>)
              request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
      target =
          variables == null || variables.isEmpty() ? null : String.join("/", variables.values());
    }
    return target == null || target.length() <= MAX_TARGET
        ? target
        : target.substring(0, MAX_TARGET);
  }
}
