package dev.sequencer.api.console;

import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/** The console's failures as pages, not the API's problem documents. */
@ControllerAdvice(assignableTypes = ConsoleController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

  @ExceptionHandler(NotFoundException.class)
  ModelAndView notFound(NotFoundException e) {
    return page(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
  }

  @ExceptionHandler(ConflictException.class)
  ModelAndView conflict(ConflictException e) {
    return page(HttpStatus.CONFLICT, "Not possible now", e.getMessage());
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

  private static ModelAndView page(HttpStatus status, String heading, String message) {
    ModelAndView view = new ModelAndView("console/error");
    view.setStatus(status);
    view.addObject("status", status.value());
    view.addObject("heading", heading);
    view.addObject("message", message);
    return view;
  }
}
