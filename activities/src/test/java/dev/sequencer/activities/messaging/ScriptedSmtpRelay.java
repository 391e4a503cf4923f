package dev.sequencer.activities.messaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP relay (RFC 5321's commands a client sends one message with) that can be told to
 * drop the connection at the next MAIL FROM without a reply: what a relay restarting or timing out
 * an idle client looks like from the client's side, made deterministic.
 */
final class ScriptedSmtpRelay implements AutoCloseable {

  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicBoolean dropAtNextMail = new AtomicBoolean();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> messageIds = new CopyOnWriteArrayList<>();

  ScriptedSmtpRelay() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "scripted-smtp-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next MAIL FROM, on whatever connection, is answered by closing that connection. */
  void dropAtNextMail() {
    dropAtNextMail.set(true);
  }

  int connections() {
    return connections.get();
  }

  List<String> messageIds() {
    return List.copyOf(messageIds);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Thread handler = new Thread(() -> serve(client), "scripted-smtp-client");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
      OutputStream out = client.getOutputStream();
      reply(out, "220 scripted relay ready");
      String line;
      while ((line = in.readLine()) != null) {
        String command = line.length() < 4 ? line : line.substring(0, 4).toUpperCase();
        switch (command) {
          case "EHLO", "HELO" -> reply(out, "250 scripted relay");
          case "MAIL" -> {
            if (dropAtNextMail.compareAndSet(true, false)) {
              return;
            }
            reply(out, "250 OK");
          }
          case "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
          case "DATA" -> {
            reply(out, "354 go ahead");
            readMessage(in);
            reply(out, "250 queued");
          }
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "502 not implemented");
        }
      }
    } catch (IOException dropped) {
      // The client went away; nothing to record.
    }
  }

  private void readMessage(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null && !line.equals(".")) {
      if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
        messageIds.add(line.substring(11).trim());
      }
    }
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
