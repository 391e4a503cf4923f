package dev.sequencer.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny SMTP server that accepts every sender, recipient and message, but holds its {@code 250}
 * reply to the end of the message data (the line {@code .}) until the test calls {@link
 * #release()}. While it holds that reply the client is stuck inside its send, exactly where a slow
 * relay would keep it, so a test can act while a message is in flight.
 *
 * <p>After {@link #release()} every further message is accepted at once. The reply is never held
 * longer than {@link #MAX_HOLD_SECONDS}, so a forgotten release cannot hang the build.
 */
public final class StallingSmtpServer implements AutoCloseable {

  public static final long MAX_HOLD_SECONDS = 30;

  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final CountDownLatch dataReceived = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger dataReceivedCount = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<String> recipients = new CopyOnWriteArrayList<>();

  /** A server on a free loopback port. */
  public StallingSmtpServer() {
    this(0);
  }

  /**
   * A server on {@code port} of the loopback interface: the port a running context's mail sender
   * was pointed at ({@code SMTP_PORT}), so that its own sends deliver here.
   */
  public StallingSmtpServer(int port) {
    server = bound(port);
    acceptor = new Thread(this::acceptLoop, "stalling-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /**
   * Waits until the server has the whole data of a message (and holds its reply).
   *
   * @return whether it came within the timeout
   */
  public boolean awaitMessageData(long timeout, TimeUnit unit) throws InterruptedException {
    return dataReceived.await(timeout, unit);
  }

  /** Sends the held {@code 250} reply, and every later one at once. */
  public void release() {
    released.countDown();
  }

  /** Connections the server accepted (a client that never connected sent nothing). */
  public int connections() {
    return connections.get();
  }

  /** Messages whose data the server received in full, whether or not it replied yet. */
  public int messagesReceived() {
    return dataReceivedCount.get();
  }

  /** Messages the server accepted with {@code 250}: the ones the client saw go out. */
  public int accepted() {
    return accepted.get();
  }

  /** The envelope recipients of every message (every {@code RCPT TO} argument), in order. */
  public List<String> recipients() {
    return List.copyOf(recipients);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        connections.incrementAndGet();
        // A connection of its own thread: a client keeps connections open between messages.
        Thread conversation = new Thread(() -> serve(socket), "stalling-smtp-connection");
        conversation.setDaemon(true);
        conversation.start();
      } catch (IOException e) {
        // Closed: no more connections.
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      converse(socket);
    } catch (IOException e) {
      // The client hung up, or the server closed.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void converse(Socket socket) throws IOException, InterruptedException {
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
    reply(out, "220 stalling.test ESMTP");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-stalling.test\r\n250 8BITMIME");
        case "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 2.0.0 OK");
        case "RCPT" -> {
          recipients.add(line.substring(line.indexOf(':') + 1).trim());
          reply(out, "250 2.1.5 OK");
        }
        case "DATA" -> {
          reply(out, "354 End data with <CR><LF>.<CR><LF>");
          if (!readData(in)) {
            return;
          }
          dataReceivedCount.incrementAndGet();
          dataReceived.countDown();
          if (!released.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS)) {
            reply(out, "451 4.3.0 Held too long: the test never released the reply");
            continue;
          }
          accepted.incrementAndGet();
          reply(out, "250 2.0.0 Queued");
        }
        case "QUIT" -> {
          reply(out, "221 2.0.0 Bye");
          return;
        }
        default -> reply(out, "502 5.5.2 Command not recognized");
      }
    }
  }

  /** Reads the message up to its end line; false when the client hung up before it. */
  private static boolean readData(BufferedReader in) throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals(".")) {
        return true;
      }
    }
    return false;
  }

  private static void reply(Writer out, String reply) throws IOException {
    out.write(reply + "\r\n");
    out.flush();
  }

  /**
   * The port bound again, waiting up to 15 s for it: the relay of the test before may still be
   * letting go of it (a test's relay is closed and the next one opened on the same port).
   */
  private static ServerSocket bound(int port) {
    for (int attempt = 1; ; attempt++) {
      ServerSocket socket = null;
      try {
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
      } catch (IOException e) {
        try {
          if (socket != null) {
            socket.close();
          }
        } catch (IOException ignored) {
          // the bind failed: nothing is open
        }
        if (attempt == 30) {
          throw new UncheckedIOException(e);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Override
  public void close() {
    release();
    try {
      server.close();
      // Like a relay that shuts down: connections clients kept open end too.
      for (Socket socket : open) {
        socket.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
