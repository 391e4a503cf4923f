package dev.sequencer.api.campaign;

import dev.sequencer.api.campaign.CampaignRequest.StepBody;
import dev.sequencer.api.campaign.CampaignRequest.VariantBody;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.content.SmsSegments;
import dev.sequencer.content.TemplateRenderer;
import dev.sequencer.content.TemplateSyntaxException;
import dev.sequencer.content.Zones;
import dev.sequencer.content.links.BodyLinks;
import dev.sequencer.store.campaign.AutoPause;
import dev.sequencer.store.campaign.AutoWinner;
import dev.sequencer.store.campaign.CampaignGeneration;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.CampaignVariant;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Limits;
import dev.sequencer.store.campaign.Schedule;
import dev.sequencer.store.campaign.Sender;
import dev.sequencer.store.campaign.StepGeneration;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.campaign.StopScope;
import dev.sequencer.workflows.schedule.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.scheduling.support.CronExpression;

/**
 * Checks a campaign definition field by field, collecting every error with its JSON path, and turns
 * a valid one into its stored parts with the defaults of API.md filled in.
 */
final class CampaignValidator {

  static final LocalTime SMS_EARLIEST = LocalTime.of(8, 0);
  static final LocalTime SMS_LATEST = LocalTime.of(21, 0);
  static final Set<String> METRICS = Set.of("reply_rate", "positive_reply_rate", "conversion_rate");
  private static final Pattern VARIANT_NAME = Pattern.compile("[A-Z][A-Za-z0-9_-]{0,31}");
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
  private static final Pattern HH_MM = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
  private static final Pattern CONTENT_SID = Pattern.compile("HX[0-9a-fA-F]{32}");
  private static final String CHANNEL_NAMES = "email, sms, whatsapp, webhook, in_app";

  /** A valid definition, ready to store. */
  record Definition(
      String name,
      Channel channel,
      Sender sender,
      List<CampaignStep> steps,
      List<CampaignVariant> variants,
      int holdoutPercentage,
      Schedule schedule,
      Limits limits,
      int attributionWindowDays,
      boolean stopOnReply,
      StopScope stopScope,
      boolean trackLinks,
      AutoWinner autoWinner,
      List<String> templateAttributes,
      List<String> senderPool,
      AutoPause autoPause,
      CampaignGeneration generation) {

    /** Where a step asks for generated copy: {@code steps[i].generate}, or none. */
    List<String> generatedStepFields() {
      List<String> fields = new ArrayList<>();
      List<CampaignStep> base = steps.stream().filter(st -> st.variant().equals("A")).toList();
      for (int i = 0; i < base.size(); i++) {
        if (base.get(i).generated()) {
          fields.add("steps[" + i + "].generate");
        }
      }
      if (fields.isEmpty() && steps.stream().anyMatch(CampaignStep::generated)) {
        fields.add("variants");
      }
      return fields;
    }

    List<CampaignStep> baseSteps() {
      return steps.stream().filter(st -> st.variant().equals(CampaignVariant.BASE)).toList();
    }

    /** Every channel a step may go out on: the campaign's, the steps' own and their fallbacks. */
    Set<Channel> channelsUsed() {
      Set<Channel> used = EnumSet.of(channel);
      steps.forEach(st -> used.addAll(st.route(channel)));
      return used;
    }

    Definition withSender(Sender resolved) {
      return new Definition(
          name,
          channel,
          resolved,
          steps,
          variants,
          holdoutPercentage,
          schedule,
          limits,
          attributionWindowDays,
          stopOnReply,
          stopScope,
          trackLinks,
          autoWinner,
          templateAttributes,
          senderPool,
          autoPause,
          generation);
    }
  }

  private final TemplateRenderer templates = new TemplateRenderer();
  private final List<FieldError> errors = new ArrayList<>();

  private CampaignValidator() {}

  /**
   * @param noHolidayCalendar the request set {@code schedule.holiday_calendar} to null explicitly
   */
  static Definition validate(CampaignRequest request, boolean noHolidayCalendar) {
    return validate(request, noHolidayCalendar, false);
  }

  /**
   * @param noAutoPause the request set {@code auto_pause} to null explicitly
   */
  static Definition validate(
      CampaignRequest request, boolean noHolidayCalendar, boolean noAutoPause) {
    return new CampaignValidator().check(request, noHolidayCalendar, noAutoPause);
  }

  private Definition check(CampaignRequest r, boolean noHolidayCalendar, boolean noAutoPause) {
    String name = r.name() == null ? null : r.name().trim();
    if (name == null || name.isEmpty()) {
      error("name", "is required");
    } else if (name.length() > 200) {
      error("name", "must be at most 200 characters");
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      error("name", "must be one line, without control characters");
    }
    Channel channel = null;
    if (r.channel() == null) {
      error("channel", "is required (" + CHANNEL_NAMES + ")");
    } else {
      channel = Channel.fromWire(r.channel()).orElse(null);
      if (channel == null) {
        error("channel", "must be one of " + CHANNEL_NAMES);
      }
    }
    List<String> senderPool = senderPool(r.senders());
    List<String> templateAttributes = templateAttributes(r.templateAttributes());
    List<StepBody> stepBodies = r.steps() == null ? defaultSteps(channel) : r.steps();
    List<CampaignStep> steps = baseSteps(stepBodies, channel, templateAttributes);
    Set<Channel> used = EnumSet.noneOf(Channel.class);
    if (channel != null) {
      used.add(channel);
      for (CampaignStep step : steps) {
        used.addAll(step.route(channel));
      }
    }
    Sender sender =
        senderPool.isEmpty() ? sender(r.sender(), used) : poolSender(r.sender(), used, channel);
    List<CampaignVariant> variants = new ArrayList<>();
    variants(r.variants(), steps, channel, templateAttributes, variants);
    int holdout = range("holdout_percentage", r.holdoutPercentage(), 0, 20, 0);
    Schedule schedule = schedule(r.schedule(), channel, used, noHolidayCalendar);
    Limits limits = limits(r.limits());
    int attribution = range("attribution_window_days", r.attributionWindowDays(), 1, 365, 7);
    StopScope stopScope = StopScope.LEAD;
    if (r.stopScope() != null) {
      switch (r.stopScope()) {
        case "lead" -> stopScope = StopScope.LEAD;
        case "company" -> stopScope = StopScope.COMPANY;
        default -> error("stop_scope", "must be one of lead, company");
      }
    }
    AutoWinner autoWinner = autoWinner(r.autoWinner());
    AutoPause autoPause = noAutoPause ? AutoPause.off() : autoPause(r.autoPause());
    CampaignGeneration generation = generation(r.generation());
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new Definition(
        name,
        channel,
        sender,
        steps,
        variants,
        holdout,
        schedule,
        limits,
        attribution,
        r.stopOnReply() == null || r.stopOnReply(),
        stopScope,
        r.trackLinks() == null || r.trackLinks(),
        autoWinner,
        templateAttributes,
        senderPool,
        autoPause,
        generation);
  }

  /** A step's wishes for generated copy, or null when its copy is the template's. */
  private StepGeneration generate(String at, CampaignRequest.GenerateBody body, Channel channel) {
    if (body == null) {
      return null;
    }
    String instructions = body.instructions() == null ? null : body.instructions().strip();
    if (instructions != null && instructions.length() > 2000) {
      error(at + ".instructions", "must be at most 2000 characters");
    }
    String tone = body.tone() == null ? null : body.tone().strip();
    if (tone != null && (tone.length() > 100 || tone.chars().anyMatch(Character::isISOControl))) {
      error(at + ".tone", "must be one line of at most 100 characters");
    }
    int defaultWords = channel == Channel.SMS ? 40 : StepGeneration.DEFAULT_MAX_WORDS;
    int maxWords = range(at + ".max_words", body.maxWords(), 10, 500, defaultWords);
    return new StepGeneration(
        instructions == null || instructions.isEmpty() ? null : instructions,
        tone == null || tone.isEmpty() ? null : tone,
        maxWords);
  }

  private CampaignGeneration generation(CampaignRequest.GenerationBody body) {
    if (body == null) {
      return CampaignGeneration.defaults();
    }
    String denied = null;
    if (body.deniedPhrases() != null) {
      if (body.deniedPhrases().size() > 500) {
        error("generation.denied_phrases", "may hold at most 500 phrases");
      }
      List<String> phrases = new ArrayList<>();
      for (int i = 0; i < body.deniedPhrases().size(); i++) {
        String phrase = body.deniedPhrases().get(i);
        if (phrase == null
            || phrase.isBlank()
            || phrase.length() > 100
            || phrase.chars().anyMatch(Character::isISOControl)) {
          error("generation.denied_phrases[" + i + "]", "must be one line of 1 to 100 characters");
        } else {
          phrases.add(phrase.strip());
        }
      }
      denied = String.join("\n", phrases);
    }
    Double similarity = body.maxSimilarity();
    if (similarity != null && (similarity.isNaN() || similarity < 0.05 || similarity > 1)) {
      error("generation.max_similarity", "must be between 0.05 and 1");
    }
    return new CampaignGeneration(Boolean.TRUE.equals(body.review()), denied, similarity);
  }

  /** The pool's sender ids: well-formed and each named once; their owner is checked on save. */
  private List<String> senderPool(List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      return List.of();
    }
    if (ids.size() > 100) {
      error("senders", "may name at most 100 senders");
      return List.of();
    }
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null || !id.matches("snd_[A-Za-z0-9_-]{1,64}")) {
        error("senders[" + i + "]", "must be a sender id (snd_...)");
      } else if (pool.contains(id)) {
        error("senders[" + i + "]", "names " + id + " a second time");
      } else {
        pool.add(id);
      }
    }
    return pool;
  }

  /**
   * Beside a pool, the inline sender gives only the display name and reply-to address; the pool's
   * first sender fills in its address or number when the campaign is saved.
   */
  private Sender poolSender(
      CampaignRequest.SenderBody body, Set<Channel> used, Channel poolChannel) {
    // The pool sends on the campaign's channel; a step on another channel needs the inline sender's
    // address for it.
    Set<Channel> others = EnumSet.noneOf(Channel.class);
    others.addAll(used);
    others.remove(poolChannel);
    if (others.contains(Channel.EMAIL) && (body == null || body.email() == null)) {
      error("sender.email", "is required when a step goes out by email besides the pool");
    }
    if ((others.contains(Channel.SMS) || others.contains(Channel.WHATSAPP))
        && (body == null || body.phone() == null)) {
      error("sender.phone", "is required when a step goes out by sms or whatsapp besides the pool");
    }
    if (body == null) {
      return new Sender(null, null, null, null);
    }
    String replyTo = body.replyTo() == null ? null : email("sender.reply_to", body.replyTo());
    if (body.name() != null && body.name().length() > 100) {
      error("sender.name", "must be at most 100 characters");
    } else if (body.name() != null && body.name().chars().anyMatch(Character::isISOControl)) {
      error("sender.name", "must not contain line breaks or other control characters");
    }
    return new Sender(body.email(), body.name(), body.phone(), replyTo);
  }

  private AutoPause autoPause(CampaignRequest.AutoPauseBody body) {
    AutoPause defaults = AutoPause.defaults();
    if (body == null) {
      return defaults;
    }
    double bounceRate = rate("auto_pause.bounce_rate", body.bounceRate(), defaults.bounceRate());
    double complaintRate =
        rate("auto_pause.complaint_rate", body.complaintRate(), defaults.complaintRate());
    int minSent = range("auto_pause.min_sent", body.minSent(), 1, 10_000_000, defaults.minSent());
    return new AutoPause(
        body.enabled() == null || body.enabled(), bounceRate, complaintRate, minSent);
  }

  private double rate(String field, Double value, double fallback) {
    if (value == null) {
      return fallback;
    }
    // Written so that NaN fails too: every comparison with it is false.
    if (!(value > 0 && value <= 1)) {
      error(field, "must be a fraction above 0 and at most 1 (0.02 = 2 %)");
      return fallback;
    }
    return value;
  }

  private List<StepBody> defaultSteps(Channel channel) {
    if (channel == Channel.SMS) {
      return DefaultSteps.sms();
    }
    if (channel == Channel.WHATSAPP || channel == Channel.WEBHOOK || channel == Channel.IN_APP) {
      error("steps", "are required for " + channel.wireName() + " campaigns");
      return List.of();
    }
    return DefaultSteps.email();
  }

  /**
   * @param used every channel a step may go out on: the sender needs an address for each that has
   *     one (email for email, a number for SMS and WhatsApp)
   */
  private Sender sender(CampaignRequest.SenderBody body, Set<Channel> used) {
    if (body == null) {
      if (used.stream().anyMatch(c -> c == Channel.EMAIL || c.isPhone())) {
        error("sender", "is required");
      }
      return new Sender(null, null, null, null);
    }
    String email = null;
    String phone = null;
    String replyTo = null;
    if (body.email() != null) {
      email = email("sender.email", body.email());
    } else if (used.contains(Channel.EMAIL)) {
      error("sender.email", "is required when a step goes out by email");
    }
    if (body.phone() != null) {
      try {
        phone = PhoneNumbers.toE164(body.phone(), null);
      } catch (IllegalArgumentException e) {
        error("sender.phone", "is not a valid E.164 phone number: " + e.getMessage());
      }
    } else if (used.contains(Channel.SMS) || used.contains(Channel.WHATSAPP)) {
      error("sender.phone", "is required when a step goes out by sms or whatsapp");
    }
    if (body.replyTo() != null) {
      replyTo = email("sender.reply_to", body.replyTo());
    }
    if (body.name() != null && body.name().length() > 100) {
      error("sender.name", "must be at most 100 characters");
    } else if (body.name() != null && body.name().chars().anyMatch(Character::isISOControl)) {
      // It becomes the From header's display name: a line break would start a header of its own.
      error("sender.name", "must not contain line breaks or other control characters");
    }
    return new Sender(email, body.name(), phone, replyTo);
  }

  private String email(String field, String raw) {
    try {
      return EmailAddresses.normalize(raw);
    } catch (IllegalArgumentException e) {
      error(field, "is not a valid email address");
      return null;
    }
  }

  private List<String> templateAttributes(List<String> names) {
    if (names == null) {
      return List.of();
    }
    Set<String> unique = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String attribute = names.get(i);
      if (attribute == null || !ATTRIBUTE_NAME.matcher(attribute).matches()) {
        error("template_attributes[" + i + "]", "must be a lower-case identifier");
      } else {
        unique.add(attribute);
      }
    }
    return List.copyOf(unique);
  }

  private List<CampaignStep> baseSteps(
      List<StepBody> bodies, Channel channel, List<String> templateAttributes) {
    List<CampaignStep> steps = new ArrayList<>();
    if (bodies.isEmpty() || bodies.size() > StepType.values().length) {
      error("steps", "must hold 1 to 3 steps (hook, proof, fomo)");
      return steps;
    }
    Integer previousDay = null;
    StepType previousType = null;
    for (int i = 0; i < bodies.size(); i++) {
      String at = "steps[" + i + "]";
      StepBody body = bodies.get(i);
      if (body == null) {
        error(at, "must be an object");
        continue;
      }
      StepType type = stepType(at + ".type", body.type());
      if (type != null && previousType != null && type.ordinal() <= previousType.ordinal()) {
        error(at + ".type", "steps must be in the order hook, proof, fomo, each at most once");
      }
      if (i == 0 && type != null && type != StepType.HOOK) {
        error(at + ".type", "the first step must be the hook");
      }
      Integer day = body.day();
      if (day == null) {
        error(at + ".day", "is required");
      } else if (i == 0 && day != 0) {
        error(at + ".day", "the first step's day must be 0");
      } else if (previousDay != null && day <= previousDay) {
        error(at + ".day", "days must strictly increase");
      } else if (day < 0 || day > 365) {
        error(at + ".day", "must be between 0 and 365");
      }
      Channel stepChannel = stepChannel(at + ".channel", body.channel(), channel);
      List<Channel> fallback = fallback(at + ".fallback", body.fallback(), stepChannel);
      List<Channel> route = new ArrayList<>();
      if (stepChannel != null) {
        route.add(stepChannel);
      }
      route.addAll(fallback);
      // A follow-up email without a subject goes out as a reply in the hook's thread, which only a
      // hook that may go out by email has.
      content(
          at,
          body.subject(),
          body.body(),
          route,
          templateAttributes,
          true,
          i > 0 && hookMayEmail(steps, channel));
      channelParts(at, body, route, templateAttributes);
      if (body.generate() != null
          && (stepChannel == Channel.WHATSAPP || stepChannel == Channel.WEBHOOK)) {
        error(at + ".generate", "generated copy is for email, sms and in_app steps");
      }
      if (type != null && day != null) {
        steps.add(
            new CampaignStep(
                CampaignVariant.BASE,
                type,
                day,
                blankToNull(body.subject()),
                blankToNull(body.body()),
                generate(at + ".generate", body.generate(), stepChannel),
                stepChannel == channel ? null : stepChannel,
                fallback.isEmpty()
                    ? null
                    : String.join(" ", fallback.stream().map(Channel::wireName).toList()),
                blankToNull(body.contentSid()),
                StepJson.variables(body.contentVariables()),
                blankToNull(body.url()),
                StepJson.payload(body.payload()),
                blankToNull(body.title())));
      }
      previousDay = day;
      previousType = type == null ? previousType : type;
    }
    return steps;
  }

  private void variants(
      List<VariantBody> bodies,
      List<CampaignStep> steps,
      Channel channel,
      List<String> templateAttributes,
      List<CampaignVariant> out) {
    if (bodies == null) {
      return;
    }
    int total = 0;
    Set<String> names = new HashSet<>();
    for (int v = 0; v < bodies.size(); v++) {
      String at = "variants[" + v + "]";
      VariantBody body = bodies.get(v);
      if (body == null) {
        error(at, "must be an object");
        continue;
      }
      if (body.name() == null || !VARIANT_NAME.matcher(body.name()).matches()) {
        error(at + ".name", "must start with an upper-case letter (e.g. B), at most 32 characters");
      } else if (body.name().equals(CampaignVariant.BASE)) {
        error(at + ".name", "A is the base steps; name variants B, C, ...");
      } else if (!names.add(body.name())) {
        error(at + ".name", "is used twice");
      }
      int allocation = range(at + ".allocation_percentage", body.allocationPercentage(), 1, 99, -1);
      if (body.allocationPercentage() == null) {
        error(at + ".allocation_percentage", "is required");
      }
      total += Math.max(allocation, 0);
      List<StepBody> overrides = body.steps() == null ? List.of() : body.steps();
      List<Integer> days = new ArrayList<>(steps.stream().map(CampaignStep::day).toList());
      Set<StepType> overridden = EnumSet.noneOf(StepType.class);
      for (int i = 0; i < overrides.size(); i++) {
        String stepAt = at + ".steps[" + i + "]";
        StepBody override = overrides.get(i);
        if (override == null) {
          error(stepAt, "must be an object");
          continue;
        }
        StepType type = stepType(stepAt + ".type", override.type());
        if (type == null) {
          continue;
        }
        int index = indexOf(steps, type);
        if (index < 0) {
          error(
              stepAt + ".type", "the base steps have no " + type.wireName() + " step to override");
          continue;
        }
        if (!overridden.add(type)) {
          error(stepAt + ".type", "is overridden twice");
          continue;
        }
        CampaignStep base = steps.get(index);
        if (override.day() != null) {
          if (index == 0 && override.day() != 0) {
            error(stepAt + ".day", "the hook's day must be 0");
          }
          days.set(index, override.day());
        }
        List<Channel> route = channel == null ? List.of() : base.route(channel);
        content(
            stepAt, override.subject(), override.body(), route, templateAttributes, false, true);
        if (override.channel() != null
            || override.fallback() != null
            || override.contentSid() != null
            || override.contentVariables() != null
            || override.url() != null
            || present(override.payload())
            || override.title() != null) {
          error(stepAt, "a variant overrides a step's subject, body and generate only");
        }
        if (body.name() != null) {
          CampaignStep copy =
              base.withCopy(
                  blankToNull(override.subject()) == null ? base.subject() : override.subject(),
                  override.body() == null ? base.body() : override.body());
          steps.add(
              new CampaignStep(
                  body.name(),
                  type,
                  days.get(index),
                  copy.subject(),
                  copy.body(),
                  override.generate() == null
                      ? base.generate()
                      : generate(
                          stepAt + ".generate", override.generate(), base.channelOr(channel)),
                  copy.channel(),
                  copy.fallback(),
                  copy.contentSid(),
                  copy.contentVariables(),
                  copy.url(),
                  copy.payload(),
                  copy.title()));
        }
      }
      for (int i = 1; i < days.size(); i++) {
        if (days.get(i) <= days.get(i - 1)) {
          error(at + ".steps", "the variant's days must strictly increase");
          break;
        }
      }
      if (body.name() != null) {
        out.add(new CampaignVariant(body.name(), Math.max(allocation, 0)));
      }
    }
    if (total >= 100) {
      error("variants", "allocation percentages must add up to less than 100 (A takes the rest)");
    }
  }

  private static int indexOf(List<CampaignStep> steps, StepType type) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).variant().equals(CampaignVariant.BASE) && steps.get(i).type() == type) {
        return i;
      }
    }
    return -1;
  }

  private StepType stepType(String field, String raw) {
    if (raw == null) {
      error(field, "is required (hook, proof or fomo)");
      return null;
    }
    for (StepType type : StepType.values()) {
      if (type.wireName().equals(raw)) {
        return type;
      }
    }
    error(field, "must be one of hook, proof, fomo");
    return null;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private void content(
      String at,
      String subject,
      String body,
      List<Channel> route,
      List<String> templateAttributes,
      boolean required,
      boolean threadable) {
    // An unknown channel (already an error) checks the copy as email, so its mistakes show too.
    if (route.contains(Channel.EMAIL) || route.isEmpty()) {
      if (subject == null || subject.isBlank()) {
        if (required && !threadable) {
          error(
              at + ".subject",
              "is required for the hook (a later step without one replies in its thread)");
        }
      } else if (subject.length() > 250) {
        error(at + ".subject", "must be at most 250 characters");
      } else if (subject.chars().anyMatch(Character::isISOControl)) {
        // The Subject header: a line break in it would start a header of its own.
        error(at + ".subject", "must be one line, without control characters");
      } else {
        template(at + ".subject", subject, templateAttributes);
      }
    } else if (subject != null) {
      error(at + ".subject", route.get(0).wireName() + " steps have no subject");
    }
    // WhatsApp's free text is optional (its template opens a conversation); a webhook posts its
    // payload. Every other channel sends the body.
    boolean bodyRequired =
        required
            && (route.isEmpty()
                || route.stream()
                    .anyMatch(c -> c == Channel.EMAIL || c == Channel.SMS || c == Channel.IN_APP));
    if (body == null || body.isBlank()) {
      if (bodyRequired || body != null) {
        error(at + ".body", "is required");
      }
      return;
    }
    if (body.length() > 100_000) {
      error(at + ".body", "must be at most 100000 characters");
      return;
    }
    template(at + ".body", body, templateAttributes);
    for (String link : BodyLinks.invalid(body)) {
      // A click is redirected to the link: one that is no URI could never be followed.
      error(at + ".body", "has a link that is not a valid http(s) URL: " + link);
    }
    if (route.contains(Channel.SMS) && SmsSegments.of(body).segments() > 10) {
      error(at + ".body", "is longer than 10 SMS segments");
    }
  }

  private static boolean hookMayEmail(List<CampaignStep> steps, Channel campaignChannel) {
    return campaignChannel == null
        || steps.isEmpty()
        || steps.get(0).route(campaignChannel).contains(Channel.EMAIL);
  }

  private Channel stepChannel(String field, String raw, Channel campaignChannel) {
    if (raw == null) {
      return campaignChannel;
    }
    Optional<Channel> channel = Channel.fromWire(raw);
    if (channel.isEmpty()) {
      error(field, "must be one of " + CHANNEL_NAMES);
      return campaignChannel;
    }
    return channel.get();
  }

  private List<Channel> fallback(String field, List<String> raw, Channel first) {
    if (raw == null || raw.isEmpty()) {
      return List.of();
    }
    List<Channel> fallback = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Optional<Channel> channel = Channel.fromWire(raw.get(i));
      if (channel.isEmpty()) {
        error(field + "[" + i + "]", "must be one of " + CHANNEL_NAMES);
      } else if (channel.get() == first || fallback.contains(channel.get())) {
        error(field + "[" + i + "]", "names " + raw.get(i) + " a second time in the step's route");
      } else {
        fallback.add(channel.get());
      }
    }
    return fallback;
  }

  /** The parts only some channels have: a WhatsApp template, a webhook, an in-app title. */
  private void channelParts(
      String at, StepBody body, List<Channel> route, List<String> templateAttributes) {
    if (route.contains(Channel.WHATSAPP)) {
      if (body.contentSid() == null || body.contentSid().isBlank()) {
        error(
            at + ".content_sid",
            "is required for whatsapp: business-initiated messages use an approved template");
      } else if (!CONTENT_SID.matcher(body.contentSid()).matches()) {
        error(at + ".content_sid", "must be a Twilio Content SID (HX followed by 32 hex digits)");
      }
      if (body.contentVariables() != null) {
        if (body.contentVariables().size() > 100) {
          error(at + ".content_variables", "may hold at most 100 variables");
        }
        body.contentVariables()
            .forEach(
                (key, value) -> {
                  String field = at + ".content_variables." + key;
                  if (key == null || !key.matches("[1-9][0-9]{0,2}")) {
                    error(
                        at + ".content_variables", "keys are template numbers: \"1\", \"2\", ...");
                  } else if (value == null || value.length() > 1024) {
                    error(field, "must be a text of at most 1024 characters");
                  } else {
                    template(field, value, templateAttributes);
                  }
                });
      }
    } else if (body.contentSid() != null || body.contentVariables() != null) {
      error(at + ".content_sid", "only whatsapp steps name a template");
    }
    if (route.contains(Channel.WEBHOOK)) {
      if (body.url() == null || body.url().isBlank()) {
        error(at + ".url", "is required for webhook steps");
      } else if (!httpUrl(body.url())) {
        error(at + ".url", "must be an absolute http(s) URL of at most 2000 characters");
      }
      if (body.payload() == null || body.payload().isNull()) {
        error(at + ".payload", "is required for webhook steps (a JSON object)");
      } else if (!body.payload().isObject()) {
        error(at + ".payload", "must be a JSON object");
      } else if (StepJson.payload(body.payload()).length() > 100_000) {
        error(at + ".payload", "must be at most 100000 characters as JSON");
      } else {
        payloadTemplates(at + ".payload", body.payload(), templateAttributes);
      }
    } else if (body.url() != null || present(body.payload())) {
      error(at + ".url", "only webhook steps post to a URL");
    }
    if (route.contains(Channel.IN_APP)) {
      if (body.title() != null) {
        if (body.title().length() > 200 || body.title().chars().anyMatch(Character::isISOControl)) {
          error(at + ".title", "must be one line of at most 200 characters");
        } else {
          template(at + ".title", body.title(), templateAttributes);
        }
      }
    } else if (body.title() != null) {
      error(at + ".title", "only in_app steps have a title");
    }
  }

  private void payloadTemplates(
      String at, tools.jackson.databind.JsonNode node, List<String> templateAttributes) {
    if (node.isString()) {
      template(at, node.asString(), templateAttributes);
    } else if (node.isObject()) {
      for (var property : node.properties()) {
        payloadTemplates(at + "." + property.getKey(), property.getValue(), templateAttributes);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        payloadTemplates(at + "[" + i + "]", node.get(i), templateAttributes);
      }
    }
  }

  /** A JSON value given: a field absent, or null in the body (as a stored step says), is not. */
  private static boolean present(tools.jackson.databind.JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  private static boolean httpUrl(String raw) {
    if (raw.length() > 2000) {
      return false;
    }
    try {
      java.net.URI uri = new java.net.URI(raw);
      return uri.isAbsolute()
          && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getUserInfo() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private void template(String field, String template, List<String> templateAttributes) {
    try {
      Set<String> known = new HashSet<>(TemplateRenderer.STANDARD_VARIABLES);
      known.addAll(templateAttributes);
      List<String> unknown = templates.unknownVariables(template, known);
      if (!unknown.isEmpty()) {
        error(
            field,
            "uses unknown variable(s) "
                + String.join(", ", unknown)
                + ": use a lead field, give a fallback ({{name|fallback}}) or list the attribute in"
                + " template_attributes");
      }
    } catch (TemplateSyntaxException e) {
      error(field, "is not a valid template: " + e.getMessage());
    }
  }

  private Schedule schedule(
      CampaignRequest.ScheduleBody body,
      Channel channel,
      Set<Channel> used,
      boolean noHolidayCalendar) {
    CampaignRequest.ScheduleBody s =
        body == null ? new CampaignRequest.ScheduleBody(null, null, null, null, null, null) : body;
    String timezone = "UTC";
    if (s.timezone() != null) {
      try {
        timezone = Zones.parse(s.timezone()).getId();
      } catch (IllegalArgumentException e) {
        error("schedule.timezone", "must be an IANA time zone such as America/New_York");
      }
    }
    LocalTime start = null;
    LocalTime end = null;
    if (s.sendWindow() != null) {
      start = time("schedule.send_window.start", s.sendWindow().start());
      end = time("schedule.send_window.end", s.sendWindow().end());
      if (start != null && end != null && !end.isAfter(start)) {
        error("schedule.send_window", "end must be after start");
      }
    }
    if (channel != null && channel.isPhone()) {
      if (start == null && end == null && s.sendWindow() == null) {
        start = SMS_EARLIEST;
        end = SMS_LATEST;
      } else if (start != null && start.isBefore(SMS_EARLIEST)
          || end != null && end.isAfter(SMS_LATEST)) {
        error(
            "schedule.send_window",
            "SMS may only be sent between 08:00 and 21:00 in the recipient's time zone");
      }
    } else if (used.stream().anyMatch(Channel::isPhone)
        && start != null
        && end != null
        && (!end.isAfter(SMS_EARLIEST) || !start.isBefore(SMS_LATEST))) {
      // Texts keep the part of the window inside 08:00-21:00: there must be one.
      error(
          "schedule.send_window",
          "a step goes out by sms or whatsapp: the window must overlap 08:00-21:00, the hours texts"
              + " may be sent in the recipient's time zone");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    if (s.businessDays() == null) {
      days = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    } else if (s.businessDays().isEmpty()) {
      error("schedule.business_days", "must name at least one day");
    } else {
      for (int i = 0; i < s.businessDays().size(); i++) {
        String day = s.businessDays().get(i);
        if (day == null || !day.matches("MON|TUE|WED|THU|FRI|SAT|SUN")) {
          error(
              "schedule.business_days[" + i + "]",
              "must be one of MON, TUE, WED, THU, FRI, SAT, SUN");
        } else if (!days.add(dev.sequencer.store.campaign.Schedule.parseDay(day))) {
          error("schedule.business_days[" + i + "]", "is listed twice");
        }
      }
    }
    String calendar = noHolidayCalendar ? null : "US";
    if (s.holidayCalendar() != null) {
      String code = s.holidayCalendar().toUpperCase(Locale.ROOT);
      if (BusinessCalendar.isSupportedCalendar(code)) {
        calendar = code;
      } else {
        error("schedule.holiday_calendar", "is not a supported ISO country code (e.g. US, DE)");
      }
    }
    Set<LocalDate> blackout = new TreeSet<>();
    if (s.blackoutDates() != null) {
      for (int i = 0; i < s.blackoutDates().size(); i++) {
        try {
          blackout.add(LocalDate.parse(String.valueOf(s.blackoutDates().get(i))));
        } catch (DateTimeParseException e) {
          error("schedule.blackout_dates[" + i + "]", "must be a date such as 2027-12-24");
        }
      }
    }
    String recurrence = s.recurrence() == null ? null : s.recurrence().strip();
    if (recurrence != null) {
      String[] fields = recurrence.split(" +");
      try {
        if (fields.length != 5 || recurrence.chars().anyMatch(Character::isISOControl)) {
          throw new IllegalArgumentException("needs 5 fields");
        }
        CronExpression.parse("0 " + recurrence);
      } catch (IllegalArgumentException e) {
        error("schedule.recurrence", "must be a 5-field cron expression such as \"0 9 * * MON\"");
      }
    }
    return Schedule.of(timezone, start, end, days, calendar, blackout, recurrence);
  }

  private LocalTime time(String field, String raw) {
    if (raw == null) {
      error(field, "is required (HH:MM)");
      return null;
    }
    if (!HH_MM.matcher(raw).matches()) {
      error(field, "must be a local time HH:MM");
      return null;
    }
    return LocalTime.parse(raw);
  }

  private Limits limits(CampaignRequest.LimitsBody body) {
    if (body == null) {
      return new Limits(null, null, 7);
    }
    Integer daily =
        body.dailyLimit() == null
            ? null
            : range("limits.daily_limit", body.dailyLimit(), 1, 1_000_000, 1);
    Integer perMinute =
        body.perMinute() == null
            ? null
            : range("limits.per_minute", body.perMinute(), 1, 10_000, 1);
    int cap = range("limits.frequency_cap_days", body.frequencyCapDays(), 0, 365, 7);
    Integer spacing =
        body.minSpacingSeconds() == null
            ? null
            : range("limits.min_spacing_seconds", body.minSpacingSeconds(), 0, 86_400, 0);
    return new Limits(daily, perMinute, cap, spacing);
  }

  private AutoWinner autoWinner(CampaignRequest.AutoWinnerBody body) {
    if (body == null) {
      return AutoWinner.disabled();
    }
    String metric = body.metric() == null ? "reply_rate" : body.metric();
    if (!METRICS.contains(metric)) {
      error("auto_winner.metric", "must be one of " + String.join(", ", new TreeSet<>(METRICS)));
    }
    double confidence = body.confidence() == null ? 0.95 : body.confidence();
    // Written so that NaN fails too: every comparison with it is false.
    if (!(confidence >= 0.5 && confidence < 1.0)) {
      error("auto_winner.confidence", "must be at least 0.5 and below 1");
    }
    int minSample = range("auto_winner.min_sample", body.minSample(), 10, 10_000_000, 100);
    return new AutoWinner(body.enabled() != null && body.enabled(), metric, confidence, minSample);
  }

  private int range(String field, Integer value, int min, int max, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      error(field, "must be between " + min + " and " + max);
      return fallback;
    }
    return value;
  }

  private void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }
}
