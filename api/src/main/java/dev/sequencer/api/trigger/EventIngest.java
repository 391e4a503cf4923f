package dev.sequencer.api.trigger;

import dev.sequencer.api.concurrency.GroupCommitter;
import dev.sequencer.api.error.ServiceUnavailableException;
import dev.sequencer.api.trigger.EventBatch.Decided;
import dev.sequencer.api.trigger.EventBatch.Submitted;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes events from the API's threads and decides them a batch at a time, by group commit: one
 * thread takes every event queued while the batch before was being decided, decides them together
 * in one transaction ({@link EventBatch}) and answers each once they are committed; so each answer
 * still means the event, and the enrolments it made, are stored. The sequences of the new leads
 * start after the commit ({@link SequenceStarter}).
 */
@Service
public class EventIngest {

  private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

  /** Events waiting at most; past this the API answers 503 rather than queue without end. */
  private static final int MAX_QUEUED = 20_000;

  private static final long ANSWER_TIMEOUT_SECONDS = 30;

  /** A batch this large means events queue while one is decided: they arrive in bulk. */
  private static final int LOADED_BATCH = 10;

  private record Queued(Submitted submitted, CompletableFuture<String> answer) {}

  private final EventBatch decisions;
  private final SequenceStarter starter;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final GroupCommitter<Queued> decider;

  /**
   * @param maxBatch events decided in one transaction at most
   */
  EventIngest(
      EventBatch decisions,
      SequenceStarter starter,
      TransactionTemplate transaction,
      Clock clock,
      @org.springframework.beans.factory.annotation.Value("${sequencer.events.batch:200}")
          int maxBatch) {
    this.decisions = decisions;
    this.starter = starter;
    this.transaction = transaction;
    this.clock = clock;
    this.decider =
        new GroupCommitter<>(
            "event-decider",
            MAX_QUEUED,
            maxBatch,
            batch -> {
              if (batch.size() >= LOADED_BATCH) {
                starter.underLoad();
              }
              decide(batch);
            });
  }

  @PreDestroy
  void stop() {
    decider.stop().forEach(queued -> queued.answer().completeExceptionally(stopping()));
  }

  /**
   * Records the event and enrols its contact; returns the answer, as JSON text, once both are
   * committed.
   */
  String ingest(String organizationId, EventRequest event) {
    Queued queued =
        new Queued(
            new Submitted(organizationId, event, clock.instant()), new CompletableFuture<>());
    if (!decider.offer(queued)) {
      throw new ServiceUnavailableException(
          "more than " + MAX_QUEUED + " events wait to be recorded; send this one again", null);
    }
    try {
      return queued.answer().get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException slow) {
      throw new ServiceUnavailableException(
          "the event was not recorded within "
              + ANSWER_TIMEOUT_SECONDS
              + " s; send it again with the same event_id (a repeat is recorded once)",
          slow);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw stopping();
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(failed.getCause());
    }
  }

  private static ServiceUnavailableException stopping() {
    return new ServiceUnavailableException(
        "the service is stopping; send the event again with the same event_id", null);
  }

  /**
   * Decides the batch in one transaction. If that fails, each event is decided alone, so that one
   * event that cannot be recorded fails no other.
   */
  private void decide(List<Queued> batch) {
    Decided decided;
    try {
      decided =
          transaction.execute(
              tx ->
                  decisions.decide(
                      batch.stream().map(Queued::submitted).toList(), clock.instant()));
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).answer().completeExceptionally(e);
        return;
      }
      if (!(e instanceof EventBatch.DecideAlone)) {
        log.warn(
            "a batch of {} events failed ({}); deciding them one by one",
            batch.size(),
            e.toString());
      }
      for (Queued queued : batch) {
        decide(List.of(queued));
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).answer().complete(decided.answers().get(i));
    }
    starter.startAll(decided.starts());
    for (Map.Entry<String, String> told : decided.told()) {
      starter.tell(told.getKey(), told.getValue());
    }
  }
}
