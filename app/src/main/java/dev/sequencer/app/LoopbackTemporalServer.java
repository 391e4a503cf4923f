package dev.sequencer.app;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server, as {@code TestServer.createPortBoundServer} builds it, but listening
 * on the loopback interface only: the embedded default is for one machine, and its frontend takes
 * any gRPC call without authentication. Built from the same (internal, public) parts of the SDK;
 * the field names match the SDK's own holder so that {@code TimerLockLog} finds the clock.
 */
final class LoopbackTemporalServer implements Closeable {

  private final TestServicesStarter testServicesStarter;
  private final Server server;
  private final Server inProcess;
  private final String inProcessName;

  private LoopbackTemporalServer(
      TestServicesStarter testServicesStarter,
      Server server,
      Server inProcess,
      String inProcessName) {
    this.testServicesStarter = testServicesStarter;
    this.server = server;
    this.inProcess = inProcess;
    this.inProcessName = inProcessName;
  }

  /** The name under which the same services answer in-process gRPC calls from this JVM. */
  String inProcessName() {
    return inProcessName;
  }

  /**
   * @param lockTimeSkipping true for real time (timers wait on the wall clock)
   */
  static LoopbackTemporalServer start(int port, boolean lockTimeSkipping) {
    TestServicesStarter starter = new TestServicesStarter(lockTimeSkipping, 0);
    ServerBuilder<?> builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress("127.0.0.1", port), InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(starter.getServices(), builder);
    String name = "sequencer-embedded-temporal-" + port;
    ServerBuilder<?> inProcessBuilder = InProcessServerBuilder.forName(name);
    GRPCServerHelper.registerServicesAndHealthChecks(starter.getServices(), inProcessBuilder);
    Server inProcess = null;
    try {
      inProcess = inProcessBuilder.build().start();
      return new LoopbackTemporalServer(starter, builder.build().start(), inProcess, name);
    } catch (IOException e) {
      if (inProcess != null) {
        inProcess.shutdownNow();
      }
      starter.close();
      throw new UncheckedIOException("the embedded Temporal server cannot listen on " + port, e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    inProcess.shutdown();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
      inProcess.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    testServicesStarter.close();
  }
}
