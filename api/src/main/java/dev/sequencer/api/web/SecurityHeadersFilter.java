package dev.sequencer.api.web;

import dev.sequencer.api.inbound.links.HtmlPages;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers that keep the service's pages (the unsubscribe confirmation, which people open from their
 * mail) from being framed, leaking their tokenised address in a Referer, or running anything but
 * their own style: a Content-Security-Policy that allows nothing except that one inline style, by
 * its hash, and posting the page's own form. Swagger UI, a development tool with its own scripts,
 * is left out of the policy.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class SecurityHeadersFilter extends OncePerRequestFilter {

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src '"
          + sha256(HtmlPages.PAGE_STYLE)
          + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /**
   * The console's pages: its own stylesheet and script (no inline ones), its charts inline SVG, its
   * forms posting to itself.
   */
  static final String CONSOLE_POLICY =
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Content-Type-Options", "nosniff");
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    if (path.equals("/console") || path.startsWith("/console/")) {
      response.setHeader("Content-Security-Policy", CONSOLE_POLICY);
    } else if (!path.startsWith("/swagger-ui") && !path.startsWith("/v3/api-docs")) {
      response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
    chain.doFilter(request, response);
  }

  private static String sha256(String text) {
    try {
      return "sha256-"
          + Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-256")
                      .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
