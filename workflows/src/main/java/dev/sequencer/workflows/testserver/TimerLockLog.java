package dev.sequencer.workflows.testserver;

import java.lang.reflect.Field;
import java.util.LinkedList;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches off the lock log of the embedded Temporal server's clock. Temporal's Java test server
 * ({@code SelfAdvancingTimerImpl}, SDK 1.38) records every lock and unlock of time skipping in a
 * linked list kept "for debugging": each workflow and activity task adds entries that are never
 * removed, and each timer that fires scans the list from its oldest entry. A service that runs for
 * days on the embedded default would grow that list without end and spend more and more of its time
 * walking it. The log only ever feeds an error message, so it is replaced with one that keeps
 * nothing; time skipping itself (a counter) is untouched.
 *
 * <p>Reached by reflection, since the test server offers no switch. When a later SDK changes its
 * internals the server is left as it is and a warning says so. Takes the server as an object so
 * that this module need not depend on the test server: a port-bound or in-process test server, or a
 * {@code TestWorkflowEnvironment} that runs one in-process (the benchmarks' harnesses).
 */
public final class TimerLockLog {

  private static final Logger log = LoggerFactory.getLogger(TimerLockLog.class);

  private TimerLockLog() {}

  /**
   * @return whether the server's lock log now keeps nothing
   */
  public static boolean switchOff(Object server) {
    try {
      Object timer = timer(server);
      Lock lock = (Lock) field(timer, "lock");
      Field events = timer.getClass().getDeclaredField("lockEvents");
      events.setAccessible(true);
      lock.lock();
      try {
        events.set(timer, new Discarding<>());
      } finally {
        lock.unlock();
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "could not switch off the embedded Temporal server's lock log ({}); it grows with every"
              + " task",
          e.toString());
      return false;
    }
  }

  /** The entries the server's lock log holds, or -1 when it cannot be read. */
  public static int entries(Object server) {
    try {
      return ((LinkedList<?>) field(timer(server), "lockEvents")).size();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  private static Object timer(Object server) throws ReflectiveOperationException {
    Object owner = server;
    if (hasField(owner, "inProcessServer")) {
      owner = field(owner, "inProcessServer");
    }
    return field(field(owner, "testServicesStarter"), "selfAdvancingTimer");
  }

  private static boolean hasField(Object owner, String name) {
    return java.util.Arrays.stream(owner.getClass().getDeclaredFields())
        .anyMatch(f -> f.getName().equals(name));
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  /**
   * A log that keeps nothing; removing an entry succeeds, as the server checks that every lock it
   * hands out is given back once.
   */
  private static final class Discarding<E> extends LinkedList<E> {
    @Override
    public boolean add(E entry) {
      return true;
    }

    @Override
    public boolean remove(Object entry) {
      return true;
    }
  }
}
