package dev.sequencer.api.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.Stop;
import org.junit.jupiter.api.Test;

/** Signals written as calls on the workflow interface are recorded as Temporal names them. */
class WorkflowSignalsTest {

  @Test
  void aCallOnTheInterfaceIsRecordedAsTheSignalOfThatName() {
    Stop stop = new Stop(LeadEnding.REPLIED, "reply");

    var pause = WorkflowSignals.record(LeadSequenceWorkflow.class, w -> w.pause("api"));
    var stopped = WorkflowSignals.record(LeadSequenceWorkflow.class, w -> w.stop(stop));
    var resume = WorkflowSignals.record(CampaignRunWorkflow.class, CampaignRunWorkflow::resume);

    assertThat(pause.name()).isEqualTo("pause");
    assertThat(pause.arguments()).containsExactly("api");
    assertThat(stopped.name()).isEqualTo("stop");
    assertThat(stopped.arguments()).containsExactly(stop);
    assertThat(resume.name()).isEqualTo("resume");
    assertThat(resume.arguments()).isEmpty();
  }

  @Test
  void onlyOneCallOfASignalMethodIsASignal() {
    assertThatThrownBy(() -> WorkflowSignals.record(LeadSequenceWorkflow.class, w -> w.state()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("state");
    assertThatThrownBy(
            () ->
                WorkflowSignals.record(
                    LeadSequenceWorkflow.class,
                    w -> {
                      w.pause("a");
                      w.resume();
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkflowSignals.record(LeadSequenceWorkflow.class, w -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
