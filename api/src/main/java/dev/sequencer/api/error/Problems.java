package dev.sequencer.api.error;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details as this API writes them. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail of(HttpStatus status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("about:blank"));
    problem.setTitle(status.getReasonPhrase());
    return problem;
  }

  /**
   * Answers a problem from a filter or an interceptor, where no exception handler runs: its status,
   * {@code application/problem+json}, the body.
   */
  public static void write(
      jakarta.servlet.http.HttpServletResponse response,
      tools.jackson.databind.json.JsonMapper json,
      ProblemDetail problem)
      throws java.io.IOException {
    response.setStatus(problem.getStatus());
    response.setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  public static ProblemDetail invalid(List<FieldError> errors) {
    return withFields(HttpStatus.BAD_REQUEST, "Invalid request", errors);
  }

  public static ProblemDetail unprocessable(List<FieldError> errors) {
    return withFields(
        HttpStatus.UNPROCESSABLE_CONTENT, "Not allowed for this organization", errors);
  }

  private static ProblemDetail withFields(
      HttpStatus status, String title, List<FieldError> errors) {
    ProblemDetail problem =
        of(
            status,
            errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid");
    problem.setTitle(title);
    problem.setProperty("errors", errors);
    return problem;
  }
}
