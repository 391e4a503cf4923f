package dev.sequencer.workflows.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.schedule.ScheduleRules;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepSpec;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole sequences across the calendar's hard cases, on the time-skipping test server: the instants
 * at which the workflow's timers made it send each step, 09:00–17:00 Monday to Friday with U.S.
 * federal holidays, in the lead's own zone.
 */
@Timeout(60)
class LeadSequenceCalendarTest {

  private static final List<StepSpec> HOOK_PROOF_FOMO =
      List.of(new StepSpec("hook", 0), new StepSpec("proof", 3), new StepSpec("fomo", 7));

  /** Timers fire when due; the send then takes a little real time. */
  private static final Duration DRIFT = Duration.ofSeconds(10);

  static List<Arguments> sequences() {
    return List.of(
        Arguments.of(
            "a week with the spring daylight-saving change (EST → EDT on 2027-03-14)",
            "America/New_York",
            "2027-03-12T15:00:00Z", // Friday 10:00 EST
            List.of("2027-03-12T15:00:00Z", "2027-03-17T14:00:00Z", "2027-03-23T14:00:00Z")),
        Arguments.of(
            "across New Year: 2028-01-01 is a Saturday, observed on Friday 2027-12-31",
            "America/New_York",
            "2027-12-29T15:00:00Z", // Wednesday 10:00 EST
            List.of("2027-12-29T15:00:00Z", "2028-01-04T15:00:00Z", "2028-01-10T15:00:00Z")),
        Arguments.of(
            "a lead 14 hours ahead of UTC, started after its window, across Washington's Birthday",
            "Pacific/Kiritimati",
            "2027-02-10T05:00:00Z", // Wednesday 19:00 local
            List.of("2027-02-10T19:00:00Z", "2027-02-16T19:00:00Z", "2027-02-22T19:00:00Z")),
        Arguments.of(
            "a start before a Monday holiday (Martin Luther King Jr. Day 2027-01-18)",
            "America/Chicago",
            "2027-01-15T23:30:00Z", // Friday 17:30 CST
            List.of("2027-01-19T15:00:00Z", "2027-01-22T15:00:00Z", "2027-01-28T15:00:00Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sequences")
  void sendsEachStepAtItsBusinessDayInstant(
      String name, String zone, String start, List<String> expected) {
    Instant startAt = Instant.parse(start);
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setInitialTime(startAt).build());
    try {
      SendPlanner planner =
          new SendPlanner(
              new ScheduleRules(
                  "America/New_York",
                  LocalTime.of(9, 0),
                  LocalTime.of(17, 0),
                  EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                  "US",
                  Set.of()));
      FakeSendActivities sending = new FakeSendActivities(env::currentTimeMillis);
      Worker worker = env.newWorker(TaskQueues.SEQUENCER);
      worker.registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new FakePlanningActivities(planner, ZoneId.of(zone), HOOK_PROOF_FOMO), sending);
      env.start();

      LeadSequenceWorkflow workflow =
          env.getWorkflowClient()
              .newWorkflowStub(
                  LeadSequenceWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("lead-calendar-" + zone)
                      .setTaskQueue(TaskQueues.SEQUENCER)
                      .build());
      LeadOutcome outcome = workflow.run(new LeadSequenceInput("o", "c", "l", 7, startAt));

      assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
      assertThat(sending.calls).hasSize(3);
      for (int i = 0; i < 3; i++) {
        Instant want = Instant.parse(expected.get(i));
        assertThat(sending.calls.get(i).at()).as("step %d", i).isBetween(want, want.plus(DRIFT));
      }
    } finally {
      env.close();
    }
  }
}
