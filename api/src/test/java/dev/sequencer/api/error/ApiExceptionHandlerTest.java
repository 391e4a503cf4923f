package dev.sequencer.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;

class ApiExceptionHandlerTest {

  private final ApiExceptionHandler handler = new ApiExceptionHandler();

  @Test
  void aLockTimeoutOrAStaleWriteIsA409ToRetry() {
    for (RuntimeException e :
        List.of(
            new CannotAcquireLockException("lock timeout"),
            new OptimisticLockingFailureException("stale version"))) {
      var response = handler.lockConflict(e);
      assertThat(response.getStatusCode().value()).isEqualTo(409);
      assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
      assertThat(response.getBody().getDetail()).contains("in progress");
    }
  }

  @Test
  void aFrozenFieldIsNamedInTheConflict() {
    var response =
        handler.conflict(
            new ConflictException(
                "steps[1].day cannot change",
                List.of(
                    new FieldError("steps[1].day", "is frozen once the campaign has started"))));
    assertThat(response.getStatusCode().value()).isEqualTo(409);
    assertThat(response.getBody().getProperties().get("errors"))
        .isEqualTo(
            List.of(new FieldError("steps[1].day", "is frozen once the campaign has started")));
  }

  @Test
  void temporalNotAnsweringIsA503ToRetryNeverA500() {
    var started =
        handler.unavailable(
            new ServiceUnavailableException("run not started", new RuntimeException()));
    assertThat(started.getStatusCode().value()).isEqualTo(503);
    assertThat(started.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");

    var signal = handler.temporalUnavailable(Status.UNAVAILABLE.asRuntimeException());
    assertThat(signal.getStatusCode().value()).isEqualTo(503);
    assertThat(signal.getBody().getDetail()).contains("Temporal");
  }
}
