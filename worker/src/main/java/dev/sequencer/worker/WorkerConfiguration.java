package dev.sequencer.worker;

import dev.sequencer.activities.config.ActivitiesConfiguration;
import dev.sequencer.config.SequencerConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Everything the worker needs besides Temporal's own auto-configuration. */
@Configuration(proxyBeanMethods = false)
@Import({SequencerConfiguration.class, ActivitiesConfiguration.class})
public class WorkerConfiguration {}
