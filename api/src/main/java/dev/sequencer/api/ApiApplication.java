package dev.sequencer.api;

import dev.sequencer.config.StartupChecks;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The API process: REST API and inbound webhooks; no Temporal workers run here. */
@SpringBootApplication
public class ApiApplication {

  public static void main(String[] args) {
    StartupChecks.startOrExit(
        new SpringApplication(ApiApplication.class), StartupChecks.Process.API, args);
  }
}
