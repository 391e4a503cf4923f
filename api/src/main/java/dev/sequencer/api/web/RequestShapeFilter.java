package dev.sequencer.api.web;

import dev.sequencer.api.error.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses requests no route can take before they reach one, as problem details rather than the
 * server's own pages: methods the API does not use ({@code TRACE}, …) get 405, a wildcard {@code
 * Content-Type} (which names no format to read) 415, a query string that is not valid
 * percent-encoded UTF-8 400, an API request that accepts no JSON answer 406, and the error page
 * asked for directly 404. ({@code CONNECT} never gets here: the Servlet specification has the
 * container answer it 501 itself, as RFC 9110 asks of a method a server does not implement.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class RequestShapeFilter extends OncePerRequestFilter {

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

  private final JsonMapper json;

  RequestShapeFilter(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!METHODS.contains(request.getMethod())) {
      response.setHeader("Allow", String.join(", ", METHODS));
      write(
          response,
          Problems.of(
              HttpStatus.METHOD_NOT_ALLOWED,
              "method " + request.getMethod() + " is not used here"));
      return;
    }
    String type = request.getContentType();
    if (type != null && (type.trim().startsWith("*") || type.contains("/*"))) {
      write(
          response,
          Problems.of(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE,
              "Content-Type must name a format, such as application/json or text/csv"));
      return;
    }
    try {
      // Read the query (and a form body) now: Tomcat throws on malformed percent-encoding the
      // first time anything asks for a parameter, wherever that is.
      request.getParameterMap();
    } catch (RuntimeException e) {
      write(
          response,
          Problems.of(
              HttpStatus.BAD_REQUEST,
              "the query string (or form) is not valid percent-encoded UTF-8"));
      return;
    }
    if (request.getRequestURI().startsWith("/api/")) {
      Optional<ProblemDetail> unanswerable = unanswerable(request.getHeaders(HttpHeaders.ACCEPT));
      if (unanswerable.isPresent()) {
        write(response, unanswerable.get());
        return;
      }
    }
    if ("/error".equals(request.getRequestURI())
        && request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) == null) {
      write(response, Problems.of(HttpStatus.NOT_FOUND, "no such resource"));
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * The API answers JSON (and CSV exports). A request that accepts neither is refused before it is
   * carried out: otherwise its change would be made and only its answer refused.
   */
  private static Optional<ProblemDetail> unanswerable(Enumeration<String> accept) {
    List<String> values = Collections.list(accept);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    List<MediaType> accepted;
    try {
      accepted = MediaType.parseMediaTypes(values);
    } catch (InvalidMediaTypeException e) {
      return Optional.of(
          Problems.of(HttpStatus.BAD_REQUEST, "the Accept header is not a list of media types"));
    }
    boolean json =
        accepted.isEmpty()
            || accepted.stream()
                .anyMatch(
                    type ->
                        type.isCompatibleWith(MediaType.APPLICATION_JSON)
                            || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                            || type.isCompatibleWith(TEXT_CSV));
    return json
        ? Optional.empty()
        : Optional.of(
            Problems.of(
                HttpStatus.NOT_ACCEPTABLE,
                "this API answers application/json; Accept allows none"));
  }

  private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
    Problems.write(response, json, problem);
  }
}
