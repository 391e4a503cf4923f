package dev.sequencer.workflows.lead;

/**
 * The {@code ApplicationFailure} types the send and planning activities fail with; the workflow
 * records a failure's type in the lead's reason ({@code failed: <type> (<message>)}).
 */
public final class SendFailureTypes {

  /** Another attempt of the step holds its hand-over lease: retried once the lease runs out. */
  public static final String HAND_OVER_IN_PROGRESS = "HandOverInProgress";

  /** The lead or its campaign was deleted: not retried. */
  public static final String NOT_FOUND = "NotFound";

  /**
   * The campaign's send window lies wholly outside the calling hours of the lead's state, so no
   * step can ever go out: not retried.
   */
  public static final String NO_ALLOWED_TIME = "NoAllowedTime";

  private SendFailureTypes() {}
}
