package dev.sequencer.app.crash;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** A JVM started on the test's own class path, its output in a file of its own. */
final class ChildJvm {

  final String name;
  final Process process;
  final Path log;
  final long startedAtMillis;
  private long logOffset;

  private ChildJvm(String name, Process process, Path log, long startedAtMillis) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.startedAtMillis = startedAtMillis;
  }

  static ChildJvm start(
      String name,
      Path log,
      Path classPathCopies,
      List<String> jvmOptions,
      String mainClass,
      List<String> arguments)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath(classPathCopies));
    command.add(mainClass);
    command.addAll(arguments);
    long startedAt = System.currentTimeMillis();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildJvm(name, process, log, startedAt);
  }

  /** The copied class path of each test, by the directory its copies are in. */
  private static final java.util.Map<Path, String> snapshots = new java.util.HashMap<>();

  /**
   * The test's class path with every entry that a build may rewrite copied first: the project's
   * class directories and its own jars in the local repository. Other builds of this project may
   * run while the test does; without the copy a worker started in the middle of one could miss a
   * class, or run other code than the lives before it.
   */
  static synchronized String classPath(Path copies) throws IOException {
    String snapshot = snapshots.get(copies.toAbsolutePath());
    if (snapshot != null) {
      return snapshot;
    }
    List<String> entries = new ArrayList<>();
    int index = 0;
    for (String entry : testClassPath().split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      boolean mutable =
          Files.isDirectory(path)
              || path.toString().contains(File.separator + "dev" + File.separator + "sequencer")
              || path.startsWith(Path.of("").toAbsolutePath().getParent());
      if (!mutable || !Files.exists(path)) {
        entries.add(entry);
        continue;
      }
      Path copy = copies.resolve(String.format("%02d-%s", index++, path.getFileName()));
      if (Files.isDirectory(path)) {
        // As a jar: class-data sharing archives classes from jars only.
        copy = copies.resolve(copy.getFileName() + ".jar");
        jar(path, copy);
      } else {
        copyTree(path, copy);
      }
      entries.add(copy.toString());
    }
    snapshot = String.join(File.pathSeparator, entries);
    // Each test deletes its copies when it ends; the next one in this JVM makes its own.
    snapshots.put(copies.toAbsolutePath(), snapshot);
    return snapshot;
  }

  /**
   * Surefire may run the tests through a manifest-only jar, which then is all of {@code
   * java.class.path}; it names the real entries in {@code surefire.test.class.path}.
   */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  /**
   * A jar of a class directory, with entries for its directories too: Spring finds the classes of a
   * package to scan by asking the class loader for the package's directory.
   */
  private static void jar(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (Stream<Path> paths = Files.walk(from).sorted();
        java.util.jar.JarOutputStream jar =
            new java.util.jar.JarOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(to)))) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        if (source.equals(from)) {
          continue;
        }
        String name = from.relativize(source).toString().replace(File.separatorChar, '/');
        boolean directory = Files.isDirectory(source);
        jar.putNextEntry(new java.util.jar.JarEntry(directory ? name + "/" : name));
        if (!directory) {
          Files.copy(source, jar);
        }
        jar.closeEntry();
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    for (int attempt = 1; ; attempt++) {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      try (ZipFile jar = new ZipFile(to.toFile())) {
        return;
      } catch (IOException halfWritten) {
        if (attempt == 10) {
          throw halfWritten;
        }
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Whether the output has shown {@code marker} since the last call that found it. */
  boolean printed(String marker) throws IOException {
    if (!Files.exists(log)) {
      return false;
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length <= logOffset) {
        return false;
      }
      file.seek(logOffset);
      byte[] bytes = new byte[(int) Math.min(length - logOffset, 64 * 1024 * 1024)];
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int at = text.indexOf(marker);
      if (at < 0) {
        // Keep the tail: the marker may be half written.
        logOffset = Math.max(logOffset, length - marker.length());
        return false;
      }
      logOffset += text.substring(0, at + marker.length()).getBytes(StandardCharsets.UTF_8).length;
      return true;
    }
  }

  /**
   * SIGKILL: {@link Process#destroyForcibly()} sends it on Linux, so the JVM gets no chance to run
   * shutdown hooks, finish a transaction or close a socket. Returns once the process is gone.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for 30 s");
    }
    if (ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false)) {
      throw new IllegalStateException(name + " (pid " + pid() + ") is still alive");
    }
  }

  /** SIGTERM, then SIGKILL if it has not ended within the grace period. */
  void stop(long graceSeconds) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
