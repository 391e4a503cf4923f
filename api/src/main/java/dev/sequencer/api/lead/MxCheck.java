package dev.sequencer.api.lead;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Whether the domains of imported addresses can receive mail: an MX record, or else an A or AAAA
 * record (the implicit MX of RFC 5321 §5.1). A domain that does not exist (NXDOMAIN), has none of
 * them, or publishes only a null MX (RFC 7505) cannot; its leads are flagged {@code no_mx}.
 *
 * <p>The check never holds an import up for long nor fails it: each import ({@link #start()}) has
 * its own cache of domains, looks them up on a few threads of its own while its rows are parsed and
 * written, and waits for the rest, after its transaction, only until its time budget (counted from
 * its start) is spent. A domain whose answer does not come (timeout, SERVFAIL, no resolver) is not
 * flagged; the import reports such domains once, in its {@code warnings}, and when the first few
 * look-ups all go unanswered it takes DNS as unavailable and looks up no more.
 */
public final class MxCheck {

  /** The answer for one domain. */
  public enum Answer {
    /** An MX, A or AAAA record: mail can be delivered. */
    MAIL,
    /** NXDOMAIN, no such record, or a null MX: a definite no. */
    NO_MAIL,
    /** No definite answer: timeout, SERVFAIL, REFUSED, no resolver. */
    UNAVAILABLE
  }

  static final String DNS_UNAVAILABLE = "MX check skipped: DNS unavailable";

  /** Unanswered look-ups, with none answered, after which DNS is taken as unavailable. */
  static final int UNAVAILABLE_AFTER = 3;

  private static final int[] ADDRESS_TYPES = {Type.A, Type.AAAA};

  private final boolean enabled;
  private final InetSocketAddress resolver;
  private final Duration timeout;
  private final Duration budget;
  private final int parallelism;

  /**
   * @param resolver the DNS server to ask; null: the system's resolvers
   */
  public MxCheck(InetSocketAddress resolver, Duration timeout, Duration budget, int parallelism) {
    this(true, resolver, timeout, budget, parallelism);
  }

  private MxCheck(
      boolean enabled,
      InetSocketAddress resolver,
      Duration timeout,
      Duration budget,
      int parallelism) {
    this.enabled = enabled;
    this.resolver = resolver;
    this.timeout = timeout;
    this.budget = budget;
    this.parallelism = parallelism;
  }

  /** The check the settings ask for; a disabled one looks nothing up. */
  public static MxCheck of(ImportProperties properties) {
    return new MxCheck(
        properties.mxCheck(),
        properties.mxResolver() == null ? null : address(properties.mxResolver()),
        properties.mxTimeout(),
        properties.mxBudget(),
        properties.mxParallelism());
  }

  /**
   * {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address; port 53 by default.
   *
   * @throws IllegalArgumentException if the host is unknown or the port not a number
   */
  static InetSocketAddress address(String hostAndPort) {
    String host = hostAndPort;
    int port = SimpleResolver.DEFAULT_PORT;
    int colon = hostAndPort.lastIndexOf(':');
    if (hostAndPort.startsWith("[")) {
      int close = hostAndPort.indexOf(']');
      host = hostAndPort.substring(1, close);
      if (close + 1 < hostAndPort.length()) {
        port = port(hostAndPort, close + 1);
      }
    } else if (colon > 0 && colon == hostAndPort.indexOf(':')) {
      host = hostAndPort.substring(0, colon);
      port = port(hostAndPort, colon);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("sequencer.import.mx-resolver: unknown host " + host, e);
    }
  }

  private static int port(String hostAndPort, int colon) {
    try {
      return Integer.parseInt(hostAndPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sequencer.import.mx-resolver must be host or host:port, not " + hostAndPort, e);
    }
  }

  public boolean enabled() {
    return enabled;
  }

  /** The look-ups of one import. */
  public Run start() {
    return new Run();
  }

  /**
   * The domains of one import's addresses: {@link #check} starts a domain's look-up (once), {@link
   * #finish} waits for the answers within the budget. Used by one thread, the import's.
   */
  public final class Run implements AutoCloseable {

    private final long deadline = System.nanoTime() + budget.toNanos();
    private final Map<String, Future<Answer>> lookups = new HashMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile boolean dnsUnavailable;
    private Resolver dns;
    private ExecutorService threads;

    private Run() {}

    /** Starts the look-up of {@code domain} unless this import has seen it already. */
    public void check(String domain) {
      if (!enabled || lookups.containsKey(domain)) {
        return;
      }
      if (dnsUnavailable || System.nanoTime() >= deadline) {
        lookups.put(domain, null);
        return;
      }
      lookups.put(domain, threads().submit(() -> lookup(domain)));
    }

    /** The domains that cannot receive mail, and what to tell about the rest. */
    public Outcome finish() {
      if (lookups.isEmpty()) {
        return Outcome.NONE;
      }
      Set<String> noMail = new HashSet<>();
      int unavailable = 0;
      int notChecked = 0;
      for (Map.Entry<String, Future<Answer>> lookup : lookups.entrySet()) {
        Answer answer = answerOf(lookup.getValue());
        if (answer == null) {
          notChecked++;
        } else if (answer == Answer.UNAVAILABLE) {
          unavailable++;
        } else if (answer == Answer.NO_MAIL) {
          noMail.add(lookup.getKey());
        }
      }
      List<String> warnings = new ArrayList<>(2);
      if (dnsUnavailable || (answered.get() == 0 && unavailable > 0)) {
        warnings.add(DNS_UNAVAILABLE);
      } else {
        if (unavailable > 0) {
          warnings.add(
              "MX check skipped for "
                  + domains(unavailable)
                  + ": DNS gave no answer (timeout or server failure)");
        }
        if (notChecked > 0) {
          warnings.add(
              "MX check stopped after its "
                  + seconds(budget)
                  + " budget: "
                  + domains(notChecked)
                  + " not checked");
        }
      }
      return new Outcome(Set.copyOf(noMail), List.copyOf(warnings));
    }

    /**
     * The answer, waiting no later than the deadline (not at all once DNS is taken as unavailable);
     * null when there is none by then.
     */
    private Answer answerOf(Future<Answer> lookup) {
      if (lookup == null) {
        return null;
      }
      try {
        long wait = dnsUnavailable ? 0 : Math.max(0, deadline - System.nanoTime());
        return lookup.get(wait, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | CancellationException e) {
        lookup.cancel(true);
        return null;
      } catch (ExecutionException e) {
        return Answer.UNAVAILABLE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    private Answer lookup(String domain) {
      if (dnsUnavailable) {
        return Answer.UNAVAILABLE;
      }
      long until = Math.min(deadline, System.nanoTime() + timeout.toNanos());
      Answer answer = MxCheck.lookup(resolver(), domain, until);
      if (answer != Answer.UNAVAILABLE) {
        answered.incrementAndGet();
      } else if (unanswered.incrementAndGet() >= UNAVAILABLE_AFTER && answered.get() == 0) {
        dnsUnavailable = true;
      }
      return answer;
    }

    private synchronized Resolver resolver() {
      if (dns == null) {
        dns =
            MxCheck.this.resolver == null
                ? new ExtendedResolver()
                : new SimpleResolver(MxCheck.this.resolver);
        dns.setTimeout(timeout);
      }
      return dns;
    }

    private ExecutorService threads() {
      if (threads == null) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool =
            new ThreadPoolExecutor(
                parallelism,
                parallelism,
                1,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                task -> {
                  Thread thread = new Thread(task, "mx-check-" + count.incrementAndGet());
                  thread.setDaemon(true);
                  return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        threads = pool;
      }
      return threads;
    }

    /** Stops the look-ups still running. */
    @Override
    public void close() {
      if (threads != null) {
        threads.shutdownNow();
      }
    }
  }

  /**
   * @param noMail the domains that cannot receive mail
   * @param warnings at most one line per kind of look-up that gave no answer
   */
  public record Outcome(Set<String> noMail, List<String> warnings) {
    static final Outcome NONE = new Outcome(Set.of(), List.of());
  }

  /** One domain's answer, asked of {@code dns} until {@code until} ({@link System#nanoTime()}). */
  static Answer lookup(Resolver dns, String domain, long until) {
    Name name;
    try {
      name = Name.fromString(domain, Name.root);
    } catch (TextParseException e) {
      return Answer.NO_MAIL;
    }
    try {
      Message mx = query(dns, name, Type.MX, until);
      if (mx.getRcode() == Rcode.NXDOMAIN) {
        return Answer.NO_MAIL;
      }
      if (mx.getRcode() != Rcode.NOERROR) {
        return Answer.UNAVAILABLE;
      }
      List<Record> exchanges =
          mx.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.MX).toList();
      if (!exchanges.isEmpty()) {
        // RFC 7505: a single MX of "." says the domain takes no mail.
        boolean nullMx =
            exchanges.stream().allMatch(r -> ((MXRecord) r).getTarget().equals(Name.root));
        return nullMx ? Answer.NO_MAIL : Answer.MAIL;
      }
      for (int type : ADDRESS_TYPES) {
        Message address = query(dns, name, type, until);
        if (address.getRcode() != Rcode.NOERROR && address.getRcode() != Rcode.NXDOMAIN) {
          return Answer.UNAVAILABLE;
        }
        if (address.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == type)) {
          return Answer.MAIL;
        }
      }
      return Answer.NO_MAIL;
    } catch (ExecutionException | TimeoutException e) {
      // The resolver's own failures (no route, port unreachable, its timeout) come wrapped.
      return Answer.UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.UNAVAILABLE;
    }
  }

  private static Message query(Resolver dns, Name name, int type, long until)
      throws ExecutionException, TimeoutException, InterruptedException {
    long left = until - System.nanoTime();
    if (left <= 0) {
      throw new TimeoutException();
    }
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    return dns.sendAsync(query).toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return (millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0))
        + " s";
  }

  private static String domains(int count) {
    return count + (count == 1 ? " domain" : " domains");
  }
}
