package dev.sequencer.api.error;

import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into problem details. Bad input of any kind is a 4xx naming the field; only a
 * fault of ours is a 5xx.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
    return ResponseEntity.badRequest().body(Problems.invalid(e.errors()));
  }

  @ExceptionHandler(UnprocessableException.class)
  ResponseEntity<ProblemDetail> unprocessable(UnprocessableException e) {
    return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
        .body(Problems.unprocessable(e.errors()));
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(Problems.of(HttpStatus.NOT_FOUND, e.getMessage()));
  }

  @ExceptionHandler(ConflictException.class)
  ResponseEntity<ProblemDetail> conflict(ConflictException e) {
    ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, e.getMessage());
    if (!e.errors().isEmpty()) {
      problem.setProperty("errors", e.errors());
    }
    var response = ResponseEntity.status(HttpStatus.CONFLICT);
    if (e instanceof ConcurrentChangeException) {
      response.header(HttpHeaders.RETRY_AFTER, "1");
    }
    return response.body(problem);
  }

  /**
   * A row another request holds longer than a short lock timeout, or changed since it was read: the
   * request changed nothing and may be retried.
   */
  @ExceptionHandler({
    OptimisticLockingFailureException.class,
    PessimisticLockingFailureException.class
  })
  ResponseEntity<ProblemDetail> lockConflict(RuntimeException e) {
    log.debug("concurrent change refused", e);
    return conflict(
        new ConcurrentChangeException(
            "another change to this resource is in progress (or a message is being handed over);"
                + " retry in a moment"));
  }

  /** Spring Data JDBC wraps what failed while it saved an aggregate. */
  @ExceptionHandler(DbActionExecutionException.class)
  ResponseEntity<ProblemDetail> aggregateWrite(DbActionExecutionException e) {
    if (e.getCause() instanceof OptimisticLockingFailureException
        || e.getCause() instanceof PessimisticLockingFailureException) {
      return lockConflict(e);
    }
    return unexpected(e);
  }

  @ExceptionHandler(ServiceUnavailableException.class)
  ResponseEntity<ProblemDetail> unavailable(ServiceUnavailableException e) {
    log.warn("{}", e.getMessage(), e.getCause());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
  }

  /**
   * Temporal did not answer a signal. The store change was committed before and is what sends obey;
   * the calls that signal are idempotent, so repeating one delivers the signal.
   */
  @ExceptionHandler({WorkflowServiceException.class, StatusRuntimeException.class})
  ResponseEntity<ProblemDetail> temporalUnavailable(RuntimeException e) {
    return unavailable(
        new ServiceUnavailableException(
            "the workflow service (Temporal) did not answer; the change is recorded, repeat the"
                + " request to pass it on to the running sequences",
            e));
  }

  @ExceptionHandler(PayloadTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
        .body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, e.getMessage()));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    return ResponseEntity.badRequest()
        .body(Problems.invalid(List.of(new FieldError(e.getName(), "has an invalid value"))));
  }

  @ExceptionHandler(JacksonException.class)
  ResponseEntity<ProblemDetail> unreadable(JacksonException e) {
    return ResponseEntity.badRequest().body(Problems.invalid(List.of(fieldErrorOf(e))));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (e.getCause() instanceof PayloadTooLargeException tooLarge) {
      return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
          .body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
    }
    FieldError error =
        e.getCause() instanceof JacksonException jackson
            ? fieldErrorOf(jackson)
            : new FieldError("body", "is missing or not readable");
    return ResponseEntity.badRequest().body(Problems.invalid(List.of(error)));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    if (e.getCause() instanceof PayloadTooLargeException tooLarge) {
      return tooLarge(tooLarge);
    }
    log.error("unexpected failure", e);
    return ResponseEntity.internalServerError()
        .body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal error"));
  }

  /** Names the JSON field Jackson stumbled on, in snake_case as the client wrote it. */
  public static FieldError fieldErrorOf(JacksonException e) {
    String field = "body";
    if (e instanceof DatabindException databind && !databind.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JacksonException.Reference ref : databind.getPath()) {
        if (ref.getPropertyName() != null) {
          if (!path.isEmpty()) {
            path.append('.');
          }
          path.append(ref.getPropertyName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      field = path.toString();
    }
    String message;
    if (e instanceof UnrecognizedPropertyException unknown) {
      field = field.isEmpty() ? unknown.getPropertyName() : field;
      message = "is not a known field";
    } else if (e instanceof InvalidFormatException format
        && format.getTargetType() == String.class) {
      message = format.getOriginalMessage();
    } else if (e instanceof InvalidFormatException format) {
      message = "has an invalid value '" + format.getValue() + "'";
    } else if (e instanceof MismatchedInputException mismatch) {
      message =
          "has the wrong type"
              + (mismatch.getTargetType() == null
                  ? ""
                  : ": expected " + describe(mismatch.getTargetType()));
    } else {
      message = notValidJson(e);
    }
    return new FieldError(field.isEmpty() ? "body" : field, message);
  }

  /**
   * Where the JSON broke, without the parser's own wording: that names its classes and the features
   * that would have let the input through, none of which the caller can act on.
   */
  public static String notValidJson(JacksonException e) {
    var location = e.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "is not valid JSON";
    }
    return "is not valid JSON (line "
        + location.getLineNr()
        + ", column "
        + location.getColumnNr()
        + ")";
  }

  private static String describe(Class<?> type) {
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
