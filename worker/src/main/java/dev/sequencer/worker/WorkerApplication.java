package dev.sequencer.worker;

import dev.sequencer.config.StartupChecks;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The worker process: hosts the Temporal workers that run workflows and activities. */
@SpringBootApplication
public class WorkerApplication {

  public static void main(String[] args) {
    StartupChecks.startOrExit(
        new SpringApplication(WorkerApplication.class), StartupChecks.Process.WORKER, args);
  }
}
