package dev.sequencer.api.error;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(Problems.of(HttpStatus.NOT_FOUND, e.getMessage()));
  }

  @ExceptionHandler(ConflictException.class)
  ResponseEntity<ProblemDetail> conflict(ConflictException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(Problems.of(HttpStatus.CONFLICT, e.getMessage()));
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
    } else if (e instanceof InvalidFormatException format) {
      message = "has an invalid value '" + format.getValue() + "'";
    } else if (e instanceof MismatchedInputException mismatch) {
      message =
          "has the wrong type"
              + (mismatch.getTargetType() == null
                  ? ""
                  : ": expected " + describe(mismatch.getTargetType()));
    } else {
      message = "is not valid JSON: " + e.getOriginalMessage();
    }
    return new FieldError(field.isEmpty() ? "body" : field, message);
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
