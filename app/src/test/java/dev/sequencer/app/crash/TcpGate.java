package dev.sequencer.app.crash;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP port that forwards every connection to a server behind it, and can be taken down and put
 * back on the same port: {@link #down()} closes the listening socket and cuts every open
 * connection, so that the server is unreachable (connection refused) as if it had stopped; {@link
 * #up()} listens on the same port again. The fault test puts it in front of the {@link
 * CountingSmtpServer}, which keeps counting what it accepted across the outage.
 */
final class TcpGate implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final ExecutorService pumps =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "tcp-gate");
            thread.setDaemon(true);
            return thread;
          });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong cut = new AtomicLong();
  private volatile ServerSocket listening;

  TcpGate(int targetPort) throws IOException {
    this.targetPort = targetPort;
    listening = listen(0);
    port = listening.getLocalPort();
    acceptOn(listening);
  }

  int port() {
    return port;
  }

  /** Connections accepted so far. */
  long connections() {
    return connections.get();
  }

  /** Connections that {@link #down()} cut while they were open. */
  long cut() {
    return cut.get();
  }

  boolean isUp() {
    return listening != null;
  }

  /** Stops listening and cuts every open connection: nothing reaches the server behind. */
  synchronized void down() throws IOException {
    ServerSocket socket = listening;
    listening = null;
    if (socket != null) {
      socket.close();
    }
    for (Socket connection : open) {
      if (!connection.isClosed()) {
        cut.incrementAndGet();
      }
      closeQuietly(connection);
    }
    open.clear();
  }

  /** Listens on the same port again. */
  synchronized void up() throws IOException, InterruptedException {
    if (listening != null) {
      return;
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try {
        listening = listen(port);
        break;
      } catch (BindException busy) {
        if (System.currentTimeMillis() > deadline) {
          throw busy;
        }
        Thread.sleep(100);
      }
    }
    acceptOn(listening);
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
    return socket;
  }

  private void acceptOn(ServerSocket socket) {
    Thread acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  Socket client = socket.accept();
                  connections.incrementAndGet();
                  pumps.execute(() -> forward(client));
                } catch (IOException closed) {
                  // down() or close(): this acceptor ends.
                }
              }
            },
            "tcp-gate-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void forward(Socket client) {
    Socket server;
    try {
      server = new Socket();
      server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    open.add(client);
    open.add(server);
    if (listening == null) {
      // Went down while this connection was being set up.
      closeQuietly(client);
      closeQuietly(server);
      return;
    }
    pumps.execute(() -> pump(server, client));
    pump(client, server);
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away, or down() cut both.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is all that is wanted.
    }
  }

  @Override
  public void close() throws IOException {
    down();
    pumps.shutdownNow();
  }
}
