package dev.sequencer.activitiestest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny SMTP server that accepts the envelope sender and refuses every recipient with {@code 550
 * 5.1.1}, the way a relay answers for a mailbox that does not exist. It records the commands it
 * got, so a test can tell that the client really talked to it.
 */
public final class RefusingSmtpServer implements AutoCloseable {

  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final List<String> commands = new CopyOnWriteArrayList<>();

  public RefusingSmtpServer() {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(this::acceptLoop, "refusing-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Every command line received, in order (e.g. {@code RCPT TO:<x@y>}). */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        // A connection of its own thread: a client keeps connections open between messages.
        Thread conversation = new Thread(() -> serve(socket), "refusing-smtp-connection");
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
    }
  }

  private void converse(Socket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
    reply(out, "220 refusing.test ESMTP");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      commands.add(line);
      String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-refusing.test\r\n250 8BITMIME");
        case "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 2.0.0 OK");
        case "RCPT" -> reply(out, "550 5.1.1 Recipient address rejected: User unknown");
        case "DATA" -> reply(out, "554 5.5.1 No valid recipients");
        case "QUIT" -> {
          reply(out, "221 2.0.0 Bye");
          return;
        }
        default -> reply(out, "502 5.5.2 Command not recognized");
      }
    }
  }

  private static void reply(Writer out, String reply) throws IOException {
    out.write(reply + "\r\n");
    out.flush();
  }

  @Override
  public void close() {
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
