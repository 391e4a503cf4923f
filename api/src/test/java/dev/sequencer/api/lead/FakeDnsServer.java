package dev.sequencer.api.lead;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A recursive resolver stand-in on a UDP port of 127.0.0.1 that answers from a fixed table of
 * domains: each answers as its {@link Zone} says, any other domain is NXDOMAIN. It can fall silent
 * (reads queries and answers none), as a resolver that is down does.
 */
public final class FakeDnsServer implements AutoCloseable {

  /** How a domain answers. */
  public enum Zone {
    /** An MX record. */
    MX,
    /** No MX, an A record: the implicit MX. */
    A_ONLY,
    /** No MX, an AAAA record: the implicit MX. */
    AAAA_ONLY,
    /** The null MX of RFC 7505 ("0 ."). */
    NULL_MX,
    /** The name exists, with no MX, A or AAAA record. */
    NO_DATA,
    /** SERVFAIL, as a resolver answers when the domain's own servers fail. */
    SERVFAIL,
    /** No answer at all. */
    SILENT
  }

  private final DatagramSocket socket;
  private final Map<String, Zone> zones;
  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean silent;

  /** Domains (lower case, without the final dot) and how they answer. */
  public FakeDnsServer(Map<String, Zone> zones) {
    this.zones = Map.copyOf(zones);
    try {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(this::serve, "fake-dns-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** {@code 127.0.0.1:port}, as {@code sequencer.import.mx-resolver} takes it. */
  public String hostAndPort() {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
  }

  /** From now on no query is answered (true), or they are again (false). */
  public void silent(boolean silent) {
    this.silent = silent;
  }

  /** How many queries of {@code type} (e.g. "MX") for {@code domain} came in. */
  public int queries(String domain, String type) {
    AtomicInteger count = queries.get(domain + " " + type);
    return count == null ? 0 : count.get();
  }

  /** How many queries came in, for any domain. */
  public int queries() {
    return queries.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void serve() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        Message query = new Message(Arrays.copyOf(buffer, packet.getLength()));
        Record question = query.getQuestion();
        String domain = question.getName().toString(true).toLowerCase(Locale.ROOT);
        queries
            .computeIfAbsent(
                domain + " " + Type.string(question.getType()), k -> new AtomicInteger())
            .incrementAndGet();
        Zone zone = zones.get(domain);
        if (silent || zone == Zone.SILENT) {
          continue;
        }
        byte[] reply = answer(query, question, zone).toWire();
        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
      } catch (IOException e) {
        // Closed, or a packet that is not a DNS query: the next one is read.
      }
    }
  }

  private static Message answer(Message query, Record question, Zone zone) throws IOException {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.RD);
    reply.getHeader().setFlag(Flags.RA);
    reply.addRecord(question, Section.QUESTION);
    Name name = question.getName();
    int type = question.getType();
    if (zone == null) {
      reply.getHeader().setRcode(Rcode.NXDOMAIN);
    } else if (zone == Zone.SERVFAIL) {
      reply.getHeader().setRcode(Rcode.SERVFAIL);
    } else if (zone == Zone.MX && type == Type.MX) {
      reply.addRecord(
          new MXRecord(name, DClass.IN, 300, 10, Name.fromString("mx", name)), Section.ANSWER);
    } else if (zone == Zone.NULL_MX && type == Type.MX) {
      reply.addRecord(new MXRecord(name, DClass.IN, 300, 0, Name.root), Section.ANSWER);
    } else if (zone == Zone.A_ONLY && type == Type.A) {
      // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): an address only, never contacted.
      reply.addRecord(
          new ARecord(name, DClass.IN, 300, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    } else if (zone == Zone.AAAA_ONLY && type == Type.AAAA) {
      reply.addRecord(
          new AAAARecord(name, DClass.IN, 300, InetAddress.getByName("2001:db8::1")),
          Section.ANSWER);
    }
    return reply;
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5_000);
  }
}
