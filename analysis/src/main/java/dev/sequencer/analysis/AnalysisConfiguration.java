package dev.sequencer.analysis;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics, the A/B test decision and conversion attribution. Imported by the api (metrics and
 * conversions endpoints) and by whatever runs {@link dev.sequencer.analysis.AutoWinnerCheck}; needs
 * the store ({@code SequencerConfiguration}) and a {@link java.time.Clock} bean.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan("dev.sequencer.analysis")
public class AnalysisConfiguration {}
