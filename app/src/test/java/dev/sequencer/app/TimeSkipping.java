package dev.sequencer.app;

import com.google.protobuf.Empty;
import io.temporal.api.testservice.v1.LockTimeSkippingRequest;
import io.temporal.api.testservice.v1.UnlockTimeSkippingRequest;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import java.time.Instant;

/**
 * The embedded time-skipping Temporal server's own API, for a test that sets things up at a known
 * server time: while locked, its clock runs at the wall clock's pace instead of jumping to the next
 * timer of some other test's workflow.
 */
final class TimeSkipping implements AutoCloseable {

  private final TestServiceStubs stubs;

  private TimeSkipping(TestServiceStubs stubs) {
    this.stubs = stubs;
  }

  static TimeSkipping locked(RunningService service) {
    TestServiceStubs stubs =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setTarget(
                    "127.0.0.1:"
                        + service
                            .context
                            .getEnvironment()
                            .getProperty("sequencer.embedded.temporal-port"))
                .validateAndBuildWithDefaults());
    stubs.blockingStub().lockTimeSkipping(LockTimeSkippingRequest.getDefaultInstance());
    return new TimeSkipping(stubs);
  }

  /** The server's clock, which time-skipping runs ahead of the wall clock. */
  Instant now() {
    var time = stubs.blockingStub().getCurrentTime(Empty.getDefaultInstance()).getTime();
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
  }

  @Override
  public void close() {
    try {
      stubs.blockingStub().unlockTimeSkipping(UnlockTimeSkippingRequest.getDefaultInstance());
    } finally {
      stubs.shutdown();
    }
  }
}
