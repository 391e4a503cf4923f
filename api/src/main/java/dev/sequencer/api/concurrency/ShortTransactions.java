package dev.sequencer.api.concurrency;

import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactions of control calls, whose row locks wait at most a moment. Sends hold a share lock on
 * their campaign row and the lock of their lead row for milliseconds, a slow hand-over for longer;
 * a call that meets such a lock gives up after {@link #LOCK_TIMEOUT} (409, retry) instead of
 * holding its pooled connection while it waits, which under a burst of calls empties the pool.
 */
@Component
public class ShortTransactions {

  static final String LOCK_TIMEOUT = "500ms";

  private final TransactionTemplate transaction;
  private final JdbcClient jdbc;

  ShortTransactions(TransactionTemplate transaction, JdbcClient jdbc) {
    this.transaction = transaction;
    this.jdbc = jdbc;
  }

  public <T> T execute(Supplier<T> work) {
    return transaction.execute(
        tx -> {
          jdbc.sql("set local lock_timeout = '" + LOCK_TIMEOUT + "'").update();
          return work.get();
        });
  }

  public void run(Runnable work) {
    execute(
        () -> {
          work.run();
          return null;
        });
  }
}
