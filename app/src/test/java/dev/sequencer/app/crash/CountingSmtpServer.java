package dev.sequencer.app.crash;

import jakarta.mail.internet.MimeUtility;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP relay that delivers nothing and counts everything: each message whose DATA ended with the
 * final dot is one delivery per recipient, with its Message-ID and subject and the time it was
 * accepted. A connection that breaks before the final dot (a worker killed mid-transfer) delivers
 * nothing, as with a real relay; one that breaks after it has delivered, whether or not the sender
 * read the 250 reply.
 */
final class CountingSmtpServer implements AutoCloseable {

  /** One message as accepted for one recipient. */
  record Delivery(String recipient, String messageId, String subject, long acceptedAtMillis) {}

  private final ServerSocket socket;
  private final ExecutorService connections =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "counting-smtp");
            thread.setDaemon(true);
            return thread;
          });
  private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
  private final AtomicLong delivered = new AtomicLong();
  private final Set<String> distinct = ConcurrentHashMap.newKeySet();
  private final AtomicLong brokenTransfers = new AtomicLong();
  private volatile Throwable failure;
  private volatile boolean closed;

  CountingSmtpServer() throws IOException {
    socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "counting-smtp-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Deliveries so far, one per recipient of each accepted message. */
  long deliveredCount() {
    return delivered.get();
  }

  /** Distinct messages delivered so far: by recipient and Message-ID. */
  long distinctCount() {
    return distinct.size();
  }

  /** Connections that broke inside DATA: messages the relay never accepted. */
  long brokenTransfers() {
    return brokenTransfers.get();
  }

  List<Delivery> deliveries() {
    return new ArrayList<>(deliveries);
  }

  /** The first error of the relay itself, which would otherwise only look like a flaky relay. */
  Throwable failure() {
    return failure;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = socket.accept();
        connections.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(120_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = client.getOutputStream();
      reply(out, "220 crash.test ESMTP counting relay");
      List<String> recipients = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String command = line.length() < 4 ? line : line.substring(0, 4);
        switch (command.toUpperCase(Locale.ROOT)) {
          case "EHLO", "HELO" -> reply(out, "250 crash.test");
          case "MAIL" -> {
            recipients.clear();
            reply(out, "250 OK");
          }
          case "RCPT" -> {
            recipients.add(address(line));
            reply(out, "250 OK");
          }
          case "DATA" -> {
            if (recipients.isEmpty()) {
              reply(out, "503 no recipients");
              continue;
            }
            reply(out, "354 end data with <CR><LF>.<CR><LF>");
            Headers headers = readData(in);
            if (headers == null) {
              brokenTransfers.incrementAndGet();
              return;
            }
            long now = System.currentTimeMillis();
            for (String recipient : recipients) {
              deliveries.add(new Delivery(recipient, headers.messageId, headers.subject, now));
              distinct.add(recipient + " " + headers.messageId);
              delivered.incrementAndGet();
            }
            recipients.clear();
            reply(out, "250 OK accepted");
          }
          case "RSET" -> {
            recipients.clear();
            reply(out, "250 OK");
          }
          case "NOOP" -> reply(out, "250 OK");
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "502 command not implemented");
        }
      }
    } catch (SocketException e) {
      // The sender went away (killed): whatever it had not finished is not delivered.
    } catch (IOException | RuntimeException | Error e) {
      if (!closed && failure == null) {
        failure = e;
      }
    }
  }

  private record Headers(String messageId, String subject) {}

  /**
   * Reads the message up to the line with the lone dot.
   *
   * @return its Message-ID and Subject, or null when the connection ended first
   */
  private static Headers readData(BufferedReader in) throws IOException {
    List<String> headerLines = new ArrayList<>();
    boolean inHeaders = true;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals(".")) {
        return headersOf(headerLines);
      }
      if (inHeaders) {
        if (line.isEmpty()) {
          inHeaders = false;
        } else if ((line.startsWith(" ") || line.startsWith("\t")) && !headerLines.isEmpty()) {
          int last = headerLines.size() - 1;
          headerLines.set(last, headerLines.get(last) + " " + line.strip());
        } else {
          headerLines.add(line.startsWith("..") ? line.substring(1) : line);
        }
      }
    }
    return null;
  }

  private static Headers headersOf(List<String> lines) {
    String messageId = null;
    String subject = null;
    for (String header : lines) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      if (name.equals("message-id")) {
        messageId = value;
      } else if (name.equals("subject")) {
        subject = decode(value);
      }
    }
    return new Headers(messageId, subject);
  }

  private static String decode(String value) {
    try {
      return MimeUtility.decodeText(value);
    } catch (UnsupportedEncodingException e) {
      return value;
    }
  }

  private static String address(String rcpt) {
    int open = rcpt.indexOf('<');
    int close = rcpt.indexOf('>', open + 1);
    String address =
        open >= 0 && close > open
            ? rcpt.substring(open + 1, close)
            : rcpt.substring(rcpt.indexOf(':') + 1);
    return address.trim().toLowerCase(Locale.ROOT);
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    socket.close();
    connections.shutdownNow();
  }
}
