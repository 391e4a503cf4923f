package dev.sequencer.storetest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The end of the bench command: the table of every figure the run recorded, then the figures again
 * as JSON lines, so the last screen of the run holds them all.
 */
public final class BenchReport {

  private BenchReport() {}

  public static void main(String[] args) throws IOException {
    Path file = args.length > 0 ? Path.of(args[0], "figures.jsonl") : Figures.file();
    if (!Files.exists(file)) {
      System.out.println("No figures were recorded (" + file + ").");
      return;
    }
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    List<Figure> figures =
        lines.stream().map(line -> Figures.JSON.readValue(line, Figure.class)).toList();
    System.out.println();
    System.out.println("Sequencer bench — " + figures.size() + " figures (" + machine() + ")");
    System.out.println(
        "| figure                             |          value           |     baseline |  ratio"
            + " | goal     | met  |");
    System.out.println(
        "|------------------------------------|--------------------------|--------------|--------|"
            + "----------|------|");
    figures.forEach(figure -> System.out.println(figure.row()));
    System.out.println();
    lines.forEach(System.out::println);
  }

  private static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
        + " MB max heap of the report JVM, Java "
        + System.getProperty("java.version");
  }
}
