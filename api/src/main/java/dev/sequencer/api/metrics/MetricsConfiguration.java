package dev.sequencer.api.metrics;

import dev.sequencer.analysis.AnalysisConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The analysis module behind the metrics and conversions endpoints. */
@Configuration(proxyBeanMethods = false)
@Import(AnalysisConfiguration.class)
class MetricsConfiguration {}
