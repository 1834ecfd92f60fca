package id.dtks.lakehouse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The benchmarks' work folders on local disk: emptied between runs, measured after steps. */
final class BenchFiles {
  private BenchFiles() {}

  /** Deletes {@code folder} and everything below it; nothing when it does not exist. */
  static void deleteRecursively(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Bytes of the files below {@code folder}; 0 when it does not exist. */
  static long bytes(Path folder) {
    if (!Files.exists(folder)) {
      return 0;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths.filter(Files::isRegularFile).mapToLong(path -> {
        try {
          return Files.size(path);
        } catch (IOException e) {
          return 0; // deleted while we walked (Spark's temporary files)
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot measure " + folder + ": " + e.getMessage(), e);
    }
  }
}
