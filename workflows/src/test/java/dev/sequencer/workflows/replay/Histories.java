package dev.sequencer.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The recorded histories the replay tests read, and what the tests look for in them. */
final class Histories {

  private Histories() {}

  /** The history kept at {@code resource}, which {@code recorder} writes. */
  static WorkflowExecutionHistory read(String resource, Class<?> recorder) {
    try (InputStream in = Histories.class.getResourceAsStream(resource)) {
      assertThat(in).as("%s (record it with %s)", resource, recorder.getSimpleName()).isNotNull();
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version markers of a history: change id to version. */
  static Map<String, Integer> versionMarkersOf(WorkflowExecutionHistory history) {
    Map<String, Integer> markers = new TreeMap<>();
    for (HistoryEvent event : history.getEvents()) {
      if (event.hasMarkerRecordedEventAttributes()
          && event.getMarkerRecordedEventAttributes().getMarkerName().equals("Version")) {
        Map<String, Payloads> details = event.getMarkerRecordedEventAttributes().getDetailsMap();
        markers.put(
            decode(details.get("changeId"), 0, String.class),
            decode(details.get("version"), 0, Integer.class));
      }
    }
    return markers;
  }

  static List<String> signalsOf(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasWorkflowExecutionSignaledEventAttributes)
        .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
        .toList();
  }

  static List<String> activitiesOf(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  static <T> T decode(Payloads payloads, int index, Class<T> type) {
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
        index, Optional.of(payloads), type, type);
  }
}
