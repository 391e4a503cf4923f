package dev.sequencer.api.history;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A workflow's history as people read it: one line per event that says what happened (a timer until
 * when, which activity with which input and result, which signal with which payload), without the
 * workflow-task bookkeeping in between.
 */
public final class WorkflowEvents {

  /** Payloads longer than this are cut: a history line is for reading. */
  private static final int MAX_PAYLOAD = 2_000;

  /**
   * One event.
   *
   * @param type Temporal's event type in lower case without its prefix, e.g. {@code timer_started}
   * @param summary what happened, in words
   * @param details the payload (JSON as sent) or failure, if any
   */
  public record Entry(long eventId, Instant at, String type, String summary, String details) {}

  private WorkflowEvents() {}

  /** The events worth reading; workflow tasks (scheduled, started, completed) are left out. */
  public static List<Entry> readable(List<HistoryEvent> events) {
    return events.stream()
        .filter(event -> !isBookkeeping(event.getEventType()))
        .map(WorkflowEvents::entry)
        .toList();
  }

  private static boolean isBookkeeping(EventType type) {
    return type == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED
        || type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
        || type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  }

  static Entry entry(HistoryEvent event) {
    Instant at =
        Instant.ofEpochSecond(event.getEventTime().getSeconds(), event.getEventTime().getNanos());
    String type =
        event.getEventType().name().replaceFirst("^EVENT_TYPE_", "").toLowerCase(Locale.ROOT);
    String summary;
    String details = null;
    switch (event.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
        var a = event.getWorkflowExecutionStartedEventAttributes();
        summary = "started " + a.getWorkflowType().getName();
        details = text(a.getInput());
      }
      case EVENT_TYPE_TIMER_STARTED -> {
        var a = event.getTimerStartedEventAttributes();
        Duration wait =
            Duration.ofSeconds(
                a.getStartToFireTimeout().getSeconds(), a.getStartToFireTimeout().getNanos());
        summary = "timer " + a.getTimerId() + " until " + at.plus(wait) + " (" + words(wait) + ")";
      }
      case EVENT_TYPE_TIMER_FIRED ->
          summary = "timer " + event.getTimerFiredEventAttributes().getTimerId() + " fired";
      case EVENT_TYPE_TIMER_CANCELED ->
          summary = "timer " + event.getTimerCanceledEventAttributes().getTimerId() + " cancelled";
      case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
        var a = event.getActivityTaskScheduledEventAttributes();
        summary = "activity " + a.getActivityType().getName() + " scheduled";
        details = text(a.getInput());
      }
      case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
          summary =
              "activity started (attempt "
                  + event.getActivityTaskStartedEventAttributes().getAttempt()
                  + ")";
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
        summary = "activity completed";
        details = text(event.getActivityTaskCompletedEventAttributes().getResult());
      }
      case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
        summary = "activity failed";
        details = event.getActivityTaskFailedEventAttributes().getFailure().getMessage();
      }
      case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> summary = "activity timed out";
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
        var a = event.getWorkflowExecutionSignaledEventAttributes();
        summary = "signal " + a.getSignalName();
        details = text(a.getInput());
      }
      case EVENT_TYPE_MARKER_RECORDED -> {
        var a = event.getMarkerRecordedEventAttributes();
        summary = markerSummary(a.getMarkerName(), a.getDetailsMap());
        details =
            a.getDetailsMap().entrySet().stream()
                .filter(e -> !e.getKey().equals("input"))
                .map(e -> e.getKey() + "=" + text(e.getValue()))
                .collect(Collectors.joining(", "));
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
        summary = "completed";
        details = text(event.getWorkflowExecutionCompletedEventAttributes().getResult());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ->
          summary = "continued as new (the history starts afresh in the next run)";
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        summary = "failed";
        details = event.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage();
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
        summary = "terminated";
        details = event.getWorkflowExecutionTerminatedEventAttributes().getReason();
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> summary = "cancelled";
      case EVENT_TYPE_WORKFLOW_TASK_FAILED -> {
        summary = "workflow task failed";
        details = event.getWorkflowTaskFailedEventAttributes().getFailure().getMessage();
      }
      default -> summary = type.replace('_', ' ');
    }
    return new Entry(event.getEventId(), at, type, summary, blankToNull(details));
  }

  private static String markerSummary(String name, java.util.Map<String, Payloads> details) {
    return switch (name) {
      case "Version" -> "version marker " + text(details.get("changeId"));
      case "LocalActivity" -> "local activity " + text(details.get("type"));
      case "SideEffect" -> "side effect";
      default -> "marker " + name;
    };
  }

  private static String text(Payloads payloads) {
    if (payloads == null || payloads.getPayloadsCount() == 0) {
      return null;
    }
    return payloads.getPayloadsList().stream()
        .map(WorkflowEvents::text)
        .collect(Collectors.joining(", "));
  }

  private static String text(Payload payload) {
    String encoding =
        payload.getMetadataMap().containsKey("encoding")
            ? payload.getMetadataMap().get("encoding").toStringUtf8()
            : "";
    if (encoding.equals("binary/null")) {
      return "null";
    }
    if (!encoding.startsWith("json/") && !encoding.startsWith("text/")) {
      return "(" + payload.getData().size() + " bytes, " + encoding + ")";
    }
    String text = payload.getData().toString(StandardCharsets.UTF_8);
    return text.length() > MAX_PAYLOAD ? text.substring(0, MAX_PAYLOAD) + "…" : text;
  }

  private static String words(Duration wait) {
    if (wait.toDays() > 0) {
      return wait.toDays() + " d " + wait.toHoursPart() + " h";
    }
    if (wait.toHours() > 0) {
      return wait.toHours() + " h " + wait.toMinutesPart() + " min";
    }
    return wait.toMinutes() > 0 ? wait.toMinutes() + " min" : wait.toSeconds() + " s";
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
