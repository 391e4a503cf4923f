package dev.sequencer.app.crash;

import dev.sequencer.workflows.testserver.TimerLockLog;
import io.temporal.testserver.TestServer;

/**
 * The Java Temporal test server in a process of its own, skipping time.
 *
 * <p>{@code TestServer.main(port, "--enable-time-skipping")} would do the same but returns once the
 * server is up, and the server's gRPC threads are daemons, so that JVM would exit at once; this one
 * stays up until it is killed. {@code createPortBoundServer(port, false)}: time skipping is not
 * locked at the start, so the server's clock jumps to the next timer whenever no workflow task,
 * activity task or retry backoff is outstanding — a business-day timer fires as soon as the worker
 * is idle. (With {@code true} time would only skip while a test client unlocks it, as {@code
 * TestWorkflowEnvironment} does.)
 */
public final class TemporalTestServerMain {

  private TemporalTestServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, false);
    // As the embedded default runs it: the clock's lock log would grow with every task.
    TimerLockLog.switchOff(server);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("TEMPORAL-TEST-SERVER READY on 127.0.0.1:" + port + " (time skipping)");
    System.out.flush();
    Thread.currentThread().join();
  }
}
