package dev.sequencer.simulation;

import dev.sequencer.workflows.lead.LeadEnding;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * A lead as the simulation runs it: what the real enrolment assigned it, and what the seed drew for
 * it — whether it replies, opts out or bounces, and after which of its steps.
 */
final class SimulatedLead {

  /** A drawn response: {@code ending} after the step at {@code afterPosition}, or none. */
  record Response(LeadEnding ending, int afterPosition) {
    static final Response NONE = new Response(null, -1);
  }

  final long pk;
  final String leadId;
  final String variant;
  final ZoneId zone;

  /** The US state whose calling hours the lead's SMS keep, or null. */
  final String state;

  final String recipient;
  final Response response;

  /** Set once the drawn response has happened and ends the sequence at its next send. */
  private volatile LeadEnding stopped;

  SimulatedLead(
      long pk,
      String leadId,
      String variant,
      ZoneId zone,
      String state,
      String recipient,
      Response response) {
    this.pk = pk;
    this.leadId = leadId;
    this.variant = variant;
    this.zone = zone;
    this.state = state;
    this.recipient = recipient;
    this.response = response;
  }

  /**
   * Draws a lead's response from its own generator (seeded by the simulation's seed and the lead),
   * so the draw does not depend on the order in which workflows happen to run. The three outcomes
   * exclude each other: a bounce happens at the first message; a reply or an opt-out after a step
   * chosen uniformly among the lead's steps.
   */
  static Response draw(
      long seed, String leadId, int steps, double bounce, double optOut, double reply) {
    // SplittableRandom mixes its seed before every draw: generators of neighbouring seeds (leads
    // "crm-1", "crm-2", ...) do not start out alike, as java.util.Random's do.
    CRC32C crc = new CRC32C();
    crc.update(leadId.getBytes(StandardCharsets.UTF_8));
    SplittableRandom random = new SplittableRandom(seed ^ (crc.getValue() * 0x9E3779B97F4A7C15L));
    double u = random.nextDouble();
    int after = random.nextInt(Math.max(1, steps));
    if (u < bounce) {
      return new Response(LeadEnding.BOUNCED, 0);
    }
    if (u < bounce + optOut) {
      return new Response(LeadEnding.OPTED_OUT, after);
    }
    if (u < bounce + optOut + reply) {
      return new Response(LeadEnding.REPLIED, after);
    }
    return Response.NONE;
  }

  LeadEnding stopped() {
    return stopped;
  }

  void stop(LeadEnding ending) {
    stopped = ending;
  }
}
