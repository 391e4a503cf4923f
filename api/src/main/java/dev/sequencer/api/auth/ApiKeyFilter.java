package dev.sequencer.api.auth;

import dev.sequencer.api.error.Problems;
import dev.sequencer.store.organization.ApiKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api/**} request carries {@code Authorization: Bearer <key>}: an organization's key,
 * looked up by its hash (remembered for a moment: {@link KeyHolders}), or the platform admin key.
 * Each key's requests are rate-limited; each mutating call is audited once it has its answer.
 */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {

  /** Request attribute holding the caller's organization id. */
  public static final String ORGANIZATION = "sequencer.organization";

  private final KeyHolders keyHolders;
  private final RateLimits rateLimits;
  private final AuditRecorder audit;
  private final JsonMapper json;
  private final byte[] platformKeyHash;

  ApiKeyFilter(
      KeyHolders keyHolders,
      RateLimits rateLimits,
      AuditRecorder audit,
      AccessProperties access,
      JsonMapper json) {
    this.keyHolders = keyHolders;
    this.rateLimits = rateLimits;
    this.audit = audit;
    this.json = json;
    this.platformKeyHash = ApiKeys.hash(access.adminKey()).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Caller> caller = bearerToken(request).flatMap(this::callerOf);
    if (caller.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer");
      write(
          response,
          Problems.of(
              HttpStatus.UNAUTHORIZED, "a valid API key is required: Authorization: Bearer <key>"));
      return;
    }
    OptionalLong retryAfter = rateLimits.take(caller.get().keyId());
    if (retryAfter.isPresent()) {
      response.setHeader("Retry-After", String.valueOf(retryAfter.getAsLong()));
      write(
          response,
          Problems.of(
              HttpStatus.TOO_MANY_REQUESTS,
              "this key made more requests than its rate limit allows; retry after "
                  + retryAfter.getAsLong()
                  + " s"));
      return;
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    if (caller.get().organizationId() != null) {
      request.setAttribute(ORGANIZATION, caller.get().organizationId());
    }
    try {
      chain.doFilter(request, response);
    } finally {
      audit.recordIfMutating(request, response, caller.get());
    }
  }

  private Optional<Caller> callerOf(String key) {
    String hash = ApiKeys.hash(key);
    if (MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), platformKeyHash)) {
      return Optional.of(Caller.platform());
    }
    return keyHolders.holderOfHash(hash).map(Caller::of);
  }

  private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
    Problems.write(response, json, problem);
  }

  private static Optional<String> bearerToken(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
