package dev.sequencer.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;

/** The store and shared settings, imported by the api and the worker alike. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SequencerProperties.class)
@EnableJdbcRepositories("dev.sequencer.store")
@ComponentScan("dev.sequencer.store")
@org.springframework.context.annotation.Import(GenerationSettings.class)
public class SequencerConfiguration {}
