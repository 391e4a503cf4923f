package dev.sequencer.api.auth;

import dev.sequencer.api.concurrency.GroupCommitter;
import dev.sequencer.store.organization.AuditLog;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes audit entries by group commit: one thread stores, in one statement, every entry that came
 * while the statement before ran, and each call waits for its own entry to be stored. At a thousand
 * calls a second this is a few statements a second instead of a thousand commits.
 */
@Component
class AuditWriter {

  private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
  private static final int MAX_BATCH = 500;
  private static final long WAIT_SECONDS = 10;

  private record Pending(AuditLog.Entry entry, CompletableFuture<Void> stored) {}

  private final AuditLog auditLog;
  private final GroupCommitter<Pending> writer;

  AuditWriter(AuditLog auditLog) {
    this.auditLog = auditLog;
    this.writer = new GroupCommitter<>("audit-writer", Integer.MAX_VALUE, MAX_BATCH, this::store);
  }

  @PreDestroy
  void stop() {
    store(writer.stop());
  }

  /** Stores the entry; returns once it is stored, or throws why it was not. */
  void write(AuditLog.Entry entry) {
    Pending pending = new Pending(entry, new CompletableFuture<>());
    writer.offer(pending);
    try {
      pending.stored().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the audit entry was stored", interrupted);
    } catch (ExecutionException failed) {
      throw new IllegalStateException(failed.getCause().toString(), failed.getCause());
    } catch (TimeoutException slow) {
      throw new IllegalStateException(
          "the audit entry was not stored within " + WAIT_SECONDS + " s");
    }
  }

  private void store(List<Pending> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      auditLog.recordAll(batch.stream().map(Pending::entry).toList());
      batch.forEach(pending -> pending.stored().complete(null));
    } catch (RuntimeException e) {
      log.debug("audit batch of {} failed", batch.size(), e);
      batch.forEach(pending -> pending.stored().completeExceptionally(e));
    }
  }
}
