package dev.sequencer.api.auth;

import dev.sequencer.api.error.Problems;
import dev.sequencer.store.organization.ApiKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api/**} request carries {@code Authorization: Bearer <key>}; the key's organization
 * is what the request may see.
 */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {

  /** Request attribute holding the caller's organization id. */
  public static final String ORGANIZATION = "sequencer.organization";

  private final ApiKeys apiKeys;
  private final JsonMapper json;
  private final RecentKeys recent = new RecentKeys(System::nanoTime);

  ApiKeyFilter(ApiKeys apiKeys, JsonMapper json) {
    this.apiKeys = apiKeys;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> organization =
        bearerToken(request)
            .flatMap(key -> recent.organizationOf(ApiKeys.hash(key), apiKeys::organizationOfHash));
    if (organization.isEmpty()) {
      response.setStatus(HttpStatus.UNAUTHORIZED.value());
      response.setHeader("WWW-Authenticate", "Bearer");
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      json.writeValue(
          response.getOutputStream(),
          Problems.of(
              HttpStatus.UNAUTHORIZED, "a valid API key is required: Authorization: Bearer <key>"));
      return;
    }
    request.setAttribute(ORGANIZATION, organization.get());
    chain.doFilter(request, response);
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
