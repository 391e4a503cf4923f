package dev.sequencer.api.sender;

import dev.sequencer.activities.messaging.DkimKey;
import dev.sequencer.activities.messaging.DkimKeys;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.content.Zones;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.sender.DkimSettings;
import dev.sequencer.store.sender.ImapSettings;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.SenderCapacity;
import dev.sequencer.store.sender.SmtpSettings;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a sender body into settings, field by field, collecting every error with its JSON path. A
 * part the body leaves out keeps what {@code current} has; a password or key left out of a part
 * that is given keeps the stored one.
 */
final class SenderSettingsParser {

  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final Pattern DNS_LABELS =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private final List<FieldError> errors = new ArrayList<>();

  private SenderSettingsParser() {}

  /**
   * @param present which top-level parts the body names (a PATCH may name a part as null)
   * @param address the sender's address, whose domain a DKIM key must sign for
   * @param clock tells the day a new or changed ramp starts from, in the sender's (new) zone
   */
  static RegisteredSender.Settings parse(
      SenderBody body,
      java.util.Set<String> present,
      Channel channel,
      String address,
      RegisteredSender.Settings current,
      Clock clock) {
    SenderSettingsParser parser = new SenderSettingsParser();
    RegisteredSender.Settings settings =
        parser.settings(body, present, channel, address, current, clock);
    if (!parser.errors.isEmpty()) {
      throw new InvalidRequestException(parser.errors);
    }
    return settings;
  }

  private RegisteredSender.Settings settings(
      SenderBody body,
      java.util.Set<String> present,
      Channel channel,
      String address,
      RegisteredSender.Settings current,
      Clock clock) {
    SenderCapacity was = current.capacity();
    Integer dailyLimit =
        present.contains("daily_limit")
            ? range("daily_limit", body.dailyLimit(), 1, 1_000_000)
            : was.dailyLimit();
    Integer minSpacing =
        present.contains("min_spacing_seconds")
            ? range("min_spacing_seconds", body.minSpacingSeconds(), 0, 86_400)
            : was.minSpacingSeconds();
    String timezone = was.timezone();
    if (present.contains("timezone")) {
      timezone = body.timezone() == null ? "UTC" : zone(body.timezone());
    }
    Integer rampStart = was.rampStart();
    Integer rampIncrease = was.rampIncrease();
    LocalDate rampFrom = was.rampFrom();
    if (present.contains("ramp")) {
      if (body.ramp() == null) {
        rampStart = null;
        rampIncrease = null;
        rampFrom = null;
      } else {
        rampStart = required("ramp.start", range("ramp.start", body.ramp().start(), 1, 1_000_000));
        rampIncrease =
            body.ramp().increasePerDay() == null
                ? 0
                : range("ramp.increase_per_day", body.ramp().increasePerDay(), 0, 100_000);
        boolean changed =
            !java.util.Objects.equals(rampStart, was.rampStart())
                || !java.util.Objects.equals(rampIncrease, was.rampIncrease());
        rampFrom =
            changed || rampFrom == null
                ? LocalDate.now(clock.withZone(ZoneId.of(timezone)))
                : rampFrom;
        if (body.ramp().from() != null) {
          try {
            rampFrom = LocalDate.parse(body.ramp().from());
          } catch (java.time.format.DateTimeParseException e) {
            error("ramp.from", "must be a date (YYYY-MM-DD)");
          }
        }
      }
    }
    if (rampStart != null && dailyLimit == null) {
      error("ramp", "needs a daily_limit to ramp up to");
    }
    SmtpSettings smtp =
        present.contains("smtp") ? smtp(body.smtp(), channel, current.smtp()) : current.smtp();
    ImapSettings imap =
        present.contains("imap") ? imap(body.imap(), channel, current.imap()) : current.imap();
    DkimSettings dkim =
        present.contains("dkim")
            ? dkim(body.dkim(), channel, address, current.dkim())
            : current.dkim();
    return new RegisteredSender.Settings(
        new SenderCapacity(dailyLimit, rampStart, rampIncrease, rampFrom, minSpacing, timezone),
        smtp,
        imap,
        dkim);
  }

  private SmtpSettings smtp(SenderBody.Smtp body, Channel channel, SmtpSettings was) {
    if (body == null) {
      return null;
    }
    if (channel != Channel.EMAIL) {
      error("smtp", "is for email senders");
      return null;
    }
    String host = host("smtp.host", body.host());
    int port = body.port() == null ? 587 : range("smtp.port", body.port(), 1, 65_535, 587);
    String password =
        body.password() != null ? body.password() : was == null ? null : was.password();
    if (body.username() != null && password == null) {
      error("smtp.password", "is required with smtp.username");
    }
    if (body.username() == null && body.password() != null) {
      error("smtp.username", "is required with smtp.password");
    }
    return new SmtpSettings(
        host,
        port,
        body.username(),
        body.username() == null ? null : password,
        body.starttls() == null || body.starttls());
  }

  private ImapSettings imap(SenderBody.Imap body, Channel channel, ImapSettings was) {
    if (body == null) {
      return null;
    }
    if (channel != Channel.EMAIL) {
      error("imap", "is for email senders");
      return null;
    }
    String host = host("imap.host", body.host());
    boolean ssl = body.ssl() == null || body.ssl();
    int fallback = ssl ? 993 : 143;
    int port =
        body.port() == null ? fallback : range("imap.port", body.port(), 1, 65_535, fallback);
    if (body.username() == null || body.username().isBlank()) {
      error("imap.username", "is required");
    }
    String password =
        body.password() != null ? body.password() : was == null ? null : was.password();
    if (password == null || password.isEmpty()) {
      error("imap.password", "is required");
    }
    return new ImapSettings(host, port, body.username(), password, ssl);
  }

  private DkimSettings dkim(
      SenderBody.Dkim body, Channel channel, String address, DkimSettings was) {
    if (body == null) {
      return null;
    }
    if (channel != Channel.EMAIL) {
      error("dkim", "is for email senders");
      return null;
    }
    String domain = body.domain() == null ? null : body.domain().toLowerCase(Locale.ROOT);
    if (domain == null || !DNS_LABELS.matcher(domain).matches() || !domain.contains(".")) {
      error("dkim.domain", "must be a domain name");
    } else if (address != null) {
      String from = address.substring(address.indexOf('@') + 1);
      // DMARC passes on DKIM only when the signing domain aligns with the From address's.
      if (!from.equals(domain) && !from.endsWith("." + domain)) {
        error("dkim.domain", "must be the domain of " + address + " or a parent of it");
      }
    }
    String selector = body.selector();
    if (selector == null || !DNS_LABELS.matcher(selector).matches()) {
      error("dkim.selector", "must be a DNS label, e.g. s1");
    }
    String pem =
        body.privateKeyPem() != null
            ? body.privateKeyPem()
            : was == null ? null : was.privateKeyPem();
    if (pem == null) {
      error("dkim.private_key_pem", "is required");
    } else {
      try {
        DkimKeys.privateKey(pem);
      } catch (IllegalArgumentException e) {
        error("dkim.private_key_pem", e.getMessage());
      }
    }
    return new DkimSettings(domain, selector, pem);
  }

  /** The TXT record to publish for a sender's DKIM key, or null when it has none. */
  static String dnsRecord(DkimSettings dkim) {
    if (dkim == null) {
      return null;
    }
    try {
      DkimKeys.check(new DkimKey(dkim.domain(), dkim.selector(), dkim.privateKeyPem()));
      return DkimKeys.dnsTxtRecord(dkim.privateKeyPem());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private String host(String field, String host) {
    if (host == null || !HOST.matcher(host).matches()) {
      error(field, "must be a host name or address");
      return null;
    }
    return host;
  }

  private String zone(String id) {
    try {
      return Zones.parse(id).getId();
    } catch (RuntimeException e) {
      error("timezone", "is not an IANA time zone: " + id);
      return "UTC";
    }
  }

  private Integer range(String field, Integer value, int min, int max) {
    if (value == null) {
      return null;
    }
    if (value < min || value > max) {
      error(field, "must be between " + min + " and " + max);
      return null;
    }
    return value;
  }

  private int range(String field, Integer value, int min, int max, int fallback) {
    Integer checked = range(field, value, min, max);
    return checked == null ? fallback : checked;
  }

  private Integer required(String field, Integer value) {
    if (value == null) {
      error(field, "is required");
    }
    return value;
  }

  private void error(String field, String message) {
    if (errors.stream().noneMatch(e -> e.field().equals(field))) {
      errors.add(new FieldError(field, message));
    }
  }
}
