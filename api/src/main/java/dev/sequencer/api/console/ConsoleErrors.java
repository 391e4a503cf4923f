package dev.sequencer.api.console;

import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.error.ServiceUnavailableException;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/** The console's failures as pages, not the API's problem documents. */
@ControllerAdvice(assignableTypes = ConsoleController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

  private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

  /** The status a failure answers with, for the page and for the audit log. */
  static HttpStatus statusOf(Exception e) {
    if (e instanceof NotFoundException) {
      return HttpStatus.NOT_FOUND;
    }
    if (e instanceof ConflictException
        || e instanceof OptimisticLockingFailureException
        || e instanceof PessimisticLockingFailureException) {
      return HttpStatus.CONFLICT;
    }
    if (e instanceof InvalidRequestException) {
      return HttpStatus.BAD_REQUEST;
    }
    if (e instanceof ResponseStatusException status) {
      return HttpStatus.valueOf(status.getStatusCode().value());
    }
    if (e instanceof ServiceUnavailableException
        || e instanceof WorkflowServiceException
        || e instanceof StatusRuntimeException) {
      return HttpStatus.SERVICE_UNAVAILABLE;
    }
    return HttpStatus.INTERNAL_SERVER_ERROR;
  }

  @ExceptionHandler(NotFoundException.class)
  ModelAndView notFound(NotFoundException e) {
    return page(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
  }

  @ExceptionHandler(InvalidRequestException.class)
  ModelAndView invalid(InvalidRequestException e) {
    return page(
        HttpStatus.BAD_REQUEST,
        "Not valid",
        e.errors().isEmpty()
            ? "the request is not valid"
            : e.errors().get(0).field() + ": " + e.errors().get(0).message());
  }

  @ExceptionHandler(ResponseStatusException.class)
  ModelAndView status(ResponseStatusException e) {
    HttpStatus status = HttpStatus.valueOf(e.getStatusCode().value());
    return page(status, status.getReasonPhrase(), e.getReason());
  }

  @ExceptionHandler(Exception.class)
  ModelAndView other(Exception e) {
    HttpStatus status = statusOf(e);
    return switch (status) {
      case CONFLICT ->
          page(
              status,
              "Not possible now",
              e instanceof ConflictException
                  ? e.getMessage()
                  : "another change to this is in progress; try again in a moment");
      case SERVICE_UNAVAILABLE ->
          page(
              status,
              "Try again",
              "the workflow service (Temporal) did not answer; the change is recorded, repeat it"
                  + " to pass it on");
      default -> {
        log.error("console request failed", e);
        yield page(status, "Something went wrong", "the request failed; it has been logged");
      }
    };
  }

  private static ModelAndView page(HttpStatus status, String heading, String message) {
    ModelAndView view = new ModelAndView("console/error");
    view.setStatus(status);
    view.addObject("status", status.value());
    view.addObject("heading", heading);
    view.addObject("message", message);
    return view;
  }
}
