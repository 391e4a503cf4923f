package dev.sequencer.app.crash;

import dev.sequencer.worker.WorkerApplication;
import io.temporal.activity.ActivityOptions;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.spring.boot.WorkflowImplementationOptionsCustomizer;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker process of the crash test: {@link WorkerApplication} with its own configuration, plus
 * one setting the standalone Java test server needs, no sticky execution.
 *
 * <p>With sticky execution a worker asks the server to send the next workflow task of each run to
 * its own sticky queue; a real Temporal server moves that task back to the shared queue once the
 * sticky queue has gone unpolled for the schedule-to-start timeout (5 s), but the Java test server
 * never does, so every run last served by a killed worker would hang. In Java SDK 1.38 a workflow
 * cache size of 0 does not turn stickiness off ({@code WorkerFactoryOptions} replaces 0 with the
 * default of 600, and {@code spring.temporal.workflow-cache.max-instances} only sets that value); a
 * sticky schedule-to-start timeout of zero does: the worker then sends no sticky attributes with
 * its completions, and every workflow task goes to the shared queue with its full history. The
 * starter exposes that option only through a {@link WorkerOptionsCustomizer} bean, hence this
 * configuration.
 */
public final class CrashWorkerMain {

  /** Printed once the application is ready, so the test can tell start-up from work. */
  static final String READY = "CRASH-WORKER READY";

  private CrashWorkerMain() {}

  public static void main(String[] args) {
    new SpringApplicationBuilder(WorkerApplication.class, NoStickyExecution.class).run(args);
  }

  @Configuration(proxyBeanMethods = false)
  static class NoStickyExecution {

    /** {@code --crash.worker.sticky-execution=true} leaves stickiness on, to watch the hang. */
    @Bean
    @ConditionalOnProperty(
        name = "crash.worker.sticky-execution",
        havingValue = "false",
        matchIfMissing = true)
    WorkerOptionsCustomizer noStickyExecution() {
      return (options, workerName, taskQueue) ->
          options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }

    /**
     * {@code --crash.worker.enrolment-heartbeat-timeout=20s} shortens the enrolment activity's
     * heartbeat timeout (a minute in the workflow), so a killed enrolment is retried within the
     * test's time; options per activity type from the implementation options override the stub's.
     */
    @Bean
    @ConditionalOnProperty(name = "crash.worker.enrolment-heartbeat-timeout")
    WorkflowImplementationOptionsCustomizer shortEnrolmentHeartbeat(
        @Value("${crash.worker.enrolment-heartbeat-timeout}") Duration timeout) {
      return (options, worker, type, method) ->
          options.setActivityOptions(
              Map.of(
                  "EnrolPending",
                  ActivityOptions.newBuilder().setHeartbeatTimeout(timeout).build()));
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> crashWorkerReady() {
      return event -> {
        System.out.println(READY + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
      };
    }
  }
}
