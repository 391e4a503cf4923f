package dev.sequencer.api.console;

import dev.sequencer.store.console.ConsoleSessions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's sign-in: every page but the sign-in form needs a session cookie, and every form
 * post carries the session's CSRF token. The cookie is HttpOnly and SameSite=Strict, and Secure
 * whenever the console is not reached on the loopback interface (where a development start has no
 * TLS).
 */
@Component
class ConsoleSessionFilter extends OncePerRequestFilter {

  static final String COOKIE = "sequencer_console";
  static final String SESSION = "sequencer.console.session";
  static final String CSRF_FIELD = "_csrf";
  static final String SIGN_IN = "/console/sign-in";

  private final ConsoleSessions sessions;
  private final Clock clock;

  ConsoleSessionFilter(ConsoleSessions sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = path(request);
    return !(path.equals("/console") || path.startsWith("/console/"))
        || path.startsWith("/console/assets/");
  }

  /**
   * The path as the handler mapping sees it: decoded, without {@code ;} parameters. The raw URI
   * would let {@code /%63onsole/...} or {@code /console;x/...} past a check that the mapping then
   * routes to the console all the same.
   */
  static String path(HttpServletRequest request) {
    return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (path(request).equals(SIGN_IN)) {
      chain.doFilter(request, response);
      return;
    }
    Optional<ConsoleSessions.Session> session =
        token(request).flatMap(token -> sessions.find(token, clock.instant()));
    if (session.isEmpty()) {
      if ("GET".equals(request.getMethod())) {
        response.sendRedirect(SIGN_IN);
      } else {
        response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      }
      return;
    }
    if ("POST".equals(request.getMethod())
        && !sameToken(request.getParameter(CSRF_FIELD), session.get().csrfToken())) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN);
      return;
    }
    request.setAttribute(SESSION, session.get());
    chain.doFilter(request, response);
  }

  static Optional<String> token(HttpServletRequest request) {
    if (request.getCookies() == null) {
      return Optional.empty();
    }
    for (Cookie cookie : request.getCookies()) {
      if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isBlank()) {
        return Optional.of(cookie.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Secure whenever the service is public over https (behind a TLS proxy the request itself may
   * arrive as plain http on 127.0.0.1), and whenever the request did not come to the loopback
   * interface; off only for a development start reached on the loopback interface, without TLS.
   */
  static boolean secure(HttpServletRequest request, String publicUrl) {
    String host = request.getServerName();
    return publicUrl.startsWith("https:")
        || request.isSecure()
        || !("localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host));
  }

  static String cookie(String token, long maxAgeSeconds, boolean secure) {
    return COOKIE
        + "="
        + token
        + "; Path=/console; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  private static boolean sameToken(String given, String expected) {
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
