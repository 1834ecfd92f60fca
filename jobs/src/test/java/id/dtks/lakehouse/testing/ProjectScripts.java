package id.dtks.lakehouse.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the project's scripts (scripts/dtks, scripts/submit, scripts/local-cluster) from the
 * checkout as a user would, for the integration tests; each run appends to its own log file, and a
 * failure quotes the log's end. Also the small file and port chores those tests share.
 */
public final class ProjectScripts {
  public static final Path PROJECT =
      Path.of(System.getProperty("dtks.project.root", "..")).toAbsolutePath().normalize();

  private final Path logs;

  public ProjectScripts(Path logs) {
    this.logs = logs;
  }

  /** Runs {@code command} in the checkout with {@code environment} added; fails with the log's end on a non-zero exit. */
  public void run(String logName, Map<String, String> environment, List<String> command)
      throws IOException, InterruptedException {
    Files.createDirectories(logs);
    File log = logs.resolve(logName + ".log").toFile();
    ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    // The Maven build running these tests has just built the project: the scripts must not build again.
    builder.environment().put("DTKS_NO_BUILD", "1");
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 15 minutes; log " + log);
    }
    if (process.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log.toPath());
      throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + "; the end of "
          + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
  }

  /** A settings file that includes one of conf/ and adds {@code overrides} (HOCON lines). */
  public static Path settingsFile(Path file, String projectConf, String... overrides) throws IOException {
    StringBuilder text = new StringBuilder("include file(\"" + PROJECT.resolve(projectConf) + "\")\n");
    for (String line : overrides) {
      text.append(line).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  /** A pseudonym key made for one test run: the tests need a key, not a secret. */
  public static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The first port of {@code count} consecutive free ones, from {@code from} on. */
  public static int freePortRange(int from, int count) {
    for (int first = from; first < from + 1000; first += count) {
      boolean free = true;
      for (int port = first; port < first + count && free; port++) {
        try (ServerSocket ignored = new ServerSocket(port)) {
          free = true;
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports from " + from);
  }

  public static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  public static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
