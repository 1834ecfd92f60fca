package id.dtks.lakehouse.testing;

import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.config.DtksSettings.LakehouseSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.generate.GenerateRawExports;
import id.dtks.lakehouse.ingest.IngestPeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.reference.LoadReferenceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Lakehouses in folders of target/test-work: fresh ones, and shared ones made once per test JVM
 * (the ref layer loaded; a ranked period).
 */
public final class TestLakehouse {
  /** The period of {@link #rankedPeriod()}. */
  public static final Period RANKED_PERIOD = Period.parse("2026-11");
  private static Lakehouse withReference;
  private static Lakehouse rankedPeriod;

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

  /**
   * A lakehouse with 2,000 generated households of {@link #RANKED_PERIOD} ingested, conformed and
   * ranked (pmt-ilustratif@1), made once per test JVM: the jobs after rank (coverage, prelist) read
   * it and write only their own tables.
   */
  public static synchronized Lakehouse rankedPeriod() {
    if (rankedPeriod == null) {
      SparkSession spark = TestSpark.session();
      Lakehouse lakehouse = freshWithReference("ranked-period");
      DtksSettings defaults = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings();
      GenerateRawExports.into(spark, lakehouse).settings(defaults.generator().withHouseholds(2_000)).period(RANKED_PERIOD)
          .partitions(2).execute();
      IngestPeriod.into(spark, lakehouse).period(RANKED_PERIOD).execute();
      ConformPeriod.into(spark, lakehouse).period(RANKED_PERIOD).execute();
      RankPeriod.in(spark, lakehouse).period(RANKED_PERIOD)
          .settings(new DtksSettings.RankSettings("pmt-ilustratif@1", OptionalLong.empty(), 1024)).execute();
      rankedPeriod = lakehouse;
    }
    return rankedPeriod;
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
