package id.dtks.lakehouse.testing;

import id.dtks.lakehouse.config.DtksSettings.LakehouseSettings;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.reference.LoadReferenceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Lakehouses in folders of target/test-work, and one shared lakehouse with the ref layer loaded. */
public final class TestLakehouse {
  private static Lakehouse withReference;

  private TestLakehouse() {}

  /** A new, empty lakehouse in its own folder (emptied if a previous run left one). */
  public static Lakehouse fresh(String name) {
    Path root = workDirectory().resolve(name);
    deleteRecursively(root);
    return new Lakehouse(new LakehouseSettings(root.toString(), root.resolve("raw").toString()));
  }

  /** The shared lakehouse whose ref layer is loaded (once per test JVM). */
  public static synchronized Lakehouse withReference() {
    if (withReference == null) {
      Lakehouse lakehouse = fresh("shared-reference");
      LoadReferenceData.into(TestSpark.session(), lakehouse).fromDirectory(Optional.empty()).execute();
      withReference = lakehouse;
    }
    return withReference;
  }

  /** A new lakehouse with its own ref layer: for jobs that write bronze, silver and ops tables. */
  public static Lakehouse freshWithReference(String name) {
    Lakehouse lakehouse = fresh(name);
    LoadReferenceData.into(TestSpark.session(), lakehouse).fromDirectory(Optional.empty()).execute();
    return lakehouse;
  }

  /** The same tables as {@code lakehouse}, with raw exports read from another folder. */
  public static Lakehouse withRawFolder(Lakehouse lakehouse, String name) {
    Path raw = workDirectory().resolve(name);
    deleteRecursively(raw);
    return new Lakehouse(new LakehouseSettings(lakehouse.root(), raw.toString()));
  }

  /** A lakehouse sharing the ref layer of {@link #withReference()} but with its own raw folder. */
  public static Lakehouse withReferenceAndRaw(String name) {
    Path raw = workDirectory().resolve(name).resolve("raw");
    deleteRecursively(raw.getParent());
    return new Lakehouse(new LakehouseSettings(withReference().root(), raw.toString()));
  }

  public static Path workDirectory() {
    return Path.of(System.getProperty("dtks.test.workdir", "target/test-work"));
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
