package dev.sequencer.storetest;

import dev.sequencer.config.SequencerConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The store as the api and the worker get it: Spring Boot's auto-configuration (data source,
 * Flyway, Spring Data JDBC) and {@link SequencerConfiguration}. It scans nothing itself and lives
 * outside {@code dev.sequencer.store}, so that it is never picked up by the store's own component
 * scan in another module's tests (this class ships in the store test-jar).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(SequencerConfiguration.class)
public class StoreTestApplication {}
