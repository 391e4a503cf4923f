package dev.sequencer.store.webhook;

import dev.sequencer.config.StartupChecks;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may be sent. In production only to public {@code https} addresses: never to
 * loopback, link-local, private or otherwise reserved ranges, checked on the addresses the host
 * resolves to when it is called (so a name that resolves somewhere else later is caught too),
 * unless the operator's allow-list ({@code SEQUENCER_WEBHOOK_ALLOWED_HOSTS}) names the host. In
 * development, {@code http} and private addresses are allowed, so the embedded default can call a
 * receiver on localhost; {@code SEQUENCER_WEBHOOK_ALLOW_PRIVATE=false} turns that off.
 */
@Component
public class WebhookTargets {

  /** A host the policy refuses; an {@link UnknownHostException} so HTTP clients fail the call. */
  public static final class RefusedAddress extends UnknownHostException {
    public RefusedAddress(String message) {
      super(message);
    }
  }

  private final boolean requireHttps;
  private final boolean allowPrivate;
  private final Set<String> allowedHosts;

  @Autowired
  public WebhookTargets(Environment env) {
    this(
        flag(env, "sequencer.webhooks.require-https", StartupChecks.isProduction(env)),
        flag(env, "sequencer.webhooks.allow-private", !StartupChecks.isProduction(env)),
        env.getProperty("sequencer.webhooks.allowed-hosts", ""));
  }

  /** A switch that, left empty, follows the mode (production or development). */
  private static boolean flag(Environment env, String name, boolean otherwise) {
    String value = env.getProperty(name, "").strip();
    return value.isEmpty() ? otherwise : Boolean.parseBoolean(value);
  }

  public WebhookTargets(boolean requireHttps, boolean allowPrivate, String allowedHosts) {
    this.requireHttps = requireHttps;
    this.allowPrivate = allowPrivate;
    this.allowedHosts =
        Arrays.stream(allowedHosts.split(","))
            .map(h -> h.strip().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Why {@code url} cannot be an endpoint, or empty when it can; resolves the host, so a name that
   * does not resolve (or resolves to a refused address) is refused now rather than at delivery.
   */
  public Optional<String> problemWith(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return Optional.of("must be an absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      return Optional.of("must be an absolute http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("must not carry credentials");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("must not have a fragment");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      return Optional.of("must name a host");
    }
    if (requireHttps && !scheme.equals("https") && !allowed(host)) {
      return Optional.of("must be https");
    }
    try {
      resolve(host);
    } catch (RefusedAddress e) {
      return Optional.of(e.getMessage());
    } catch (UnknownHostException e) {
      return Optional.of("host " + host + " does not resolve");
    }
    return Optional.empty();
  }

  /**
   * The addresses {@code host} may be called at: all it resolves to, unless one of them is not
   * public and neither the allow-list nor development allows it.
   */
  public InetAddress[] resolve(String host) throws UnknownHostException {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses = InetAddress.getAllByName(bare);
    if (allowPrivate || allowed(bare)) {
      return addresses;
    }
    for (InetAddress address : addresses) {
      if (!isPublic(address)) {
        // The address itself is not said: callers of another organization must not learn what
        // internal names resolve to.
        throw new RefusedAddress("host " + host + " resolves to an address that is not public");
      }
    }
    return addresses;
  }

  private boolean allowed(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return allowedHosts.contains(h);
  }

  /** Whether the address is on the public internet (none of the special-purpose ranges). */
  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicV4(b);
    }
    if (address instanceof Inet6Address) {
      return isPublicV6(b);
    }
    return false;
  }

  private static boolean isPublicV6(byte[] b) {
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    int b2 = b[2] & 0xff;
    int b3 = b[3] & 0xff;
    if ((b0 & 0xfe) == 0xfc) {
      return false; // fc00::/7 unique local
    }
    if (b0 == 0x20 && b1 == 0x01 && b2 == 0x0d && b3 == 0xb8) {
      return false; // 2001:db8::/32 documentation
    }
    if (b0 == 0x20 && b1 == 0x01 && b2 == 0 && b3 == 0) {
      return false; // 2001::/32 Teredo tunnels to any IPv4 address
    }
    if (b0 == 0x20 && b1 == 0x02) {
      return isPublicV4(Arrays.copyOfRange(b, 2, 6)); // 2002::/16 6to4 wraps an IPv4 address
    }
    if (b0 == 0x00 && b1 == 0x64 && b2 == 0xff && b3 == 0x9b) {
      // 64:ff9b::/96 NAT64 reaches the IPv4 address inside; 64:ff9b:1::/48 is local use.
      return b[4] == 0 && b[5] == 0 && isPublicV4(Arrays.copyOfRange(b, 12, 16));
    }
    if (zeroPrefix(b, 10)
        && (((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) || (b[10] == 0 && b[11] == 0))) {
      // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) reach the IPv4 address inside.
      return isPublicV4(Arrays.copyOfRange(b, 12, 16));
    }
    if (zeroPrefix(b, 8)
        && (b[8] & 0xff) == 0xff
        && (b[9] & 0xff) == 0xff
        && b[10] == 0
        && b[11] == 0) {
      return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // ::ffff:0:a.b.c.d, SIIT
    }
    return true;
  }

  private static boolean zeroPrefix(byte[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPublicV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    return !(a0 == 0
        || a0 == 10
        || a0 == 127
        || (a0 == 100 && a1 >= 64 && a1 <= 127)
        || (a0 == 169 && a1 == 254)
        || (a0 == 172 && a1 >= 16 && a1 <= 31)
        || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
        || (a0 == 192 && a1 == 88 && a2 == 99)
        || (a0 == 192 && a1 == 168)
        || (a0 == 198 && (a1 == 18 || a1 == 19))
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)
        || a0 >= 224);
  }
}
