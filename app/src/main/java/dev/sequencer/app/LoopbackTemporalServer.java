package dev.sequencer.app;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
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

  private LoopbackTemporalServer(TestServicesStarter testServicesStarter, Server server) {
    this.testServicesStarter = testServicesStarter;
    this.server = server;
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
    try {
      return new LoopbackTemporalServer(starter, builder.build().start());
    } catch (IOException e) {
      starter.close();
      throw new UncheckedIOException("the embedded Temporal server cannot listen on " + port, e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    testServicesStarter.close();
  }
}
