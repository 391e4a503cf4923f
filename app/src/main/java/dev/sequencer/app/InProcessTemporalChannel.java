package dev.sequencer.app;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;

/**
 * Connects this process's Temporal client and worker to the embedded server in the same JVM without
 * a socket. Over loopback TCP every call was framed as HTTP/2, gzip-compressed (the SDK's default
 * since 1.38), copied through the kernel and decompressed on the other side: gRPC's own work held a
 * third of the CPU while hooks went out. The loopback port stays open for the {@code temporal} CLI
 * and other processes.
 */
final class InProcessTemporalChannel
    implements TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder>, DisposableBean {

  private final ManagedChannel channel;

  InProcessTemporalChannel(String serverName) {
    this.channel = InProcessChannelBuilder.forName(serverName).build();
  }

  ManagedChannel channel() {
    return channel;
  }

  @Override
  public WorkflowServiceStubsOptions.Builder customize(
      WorkflowServiceStubsOptions.Builder options) {
    return options.setTarget(null).setChannel(channel).setGrpcCompression(GrpcCompression.NONE);
  }

  @Override
  public void destroy() throws InterruptedException {
    channel.shutdown();
    channel.awaitTermination(10, TimeUnit.SECONDS);
  }
}
