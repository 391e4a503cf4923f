package dev.sequencer.storetest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the benchmarks put their figures: one JSON line each on standard output, and appended to
 * {@code figures.jsonl} in the directory the bench profile names ({@code sequencer.bench.out}),
 * from which {@link BenchReport} prints the table at the end of the run.
 */
public final class Figures {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private Figures() {}

  public static synchronized void record(Figure figure) {
    String line = JSON.writeValueAsString(figure);
    System.out.println(line);
    System.out.flush();
    Path out = file();
    try {
      Files.createDirectories(out.getParent());
      Files.writeString(
          out, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not record " + figure.figure() + " in " + out, e);
    }
  }

  static Path file() {
    return Path.of(System.getProperty("sequencer.bench.out", "target/bench"), "figures.jsonl");
  }
}
