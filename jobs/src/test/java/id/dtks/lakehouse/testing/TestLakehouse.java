package id.dtks.lakehouse.testing;

import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.config.DtksSettings.LakehouseSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.coverage.CoveragePeriod;
import id.dtks.lakehouse.generate.GenerateRawExports;
import id.dtks.lakehouse.ingest.IngestPeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.publish.PseudonymKey;
import id.dtks.lakehouse.publish.PublishPeriod;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.reference.LoadReferenceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Lakehouses in folders of target/test-work: fresh ones, and shared ones made once per test JVM
 * (the ref layer loaded; a ranked period; two published periods).
 */
public final class TestLakehouse {
  /** The period of {@link #rankedPeriod()}. */
  public static final Period RANKED_PERIOD = Period.parse("2026-11");
  private static Lakehouse withReference;
  private static Lakehouse rankedPeriod;
  /** The periods of {@link #publishedPeriods()}, oldest first. */
  public static final List<Period> PUBLISHED_PERIODS = List.of(Period.parse("2026-10"), Period.parse("2026-11"));
  /** The pseudonym key of {@link #publishedPeriods()}: the tests need a key, not a secret. */
  public static final PseudonymKey PSEUDONYM_KEY = new PseudonymKey(
      "a test key of more than thirty-two bytes, not a secret".getBytes(StandardCharsets.UTF_8), "the test");
  private static PublishedPeriods publishedPeriods;

  /** The lakehouse of {@link #publishedPeriods()} and what publishing each period returned. */
  public record PublishedPeriods(Lakehouse lakehouse, Map<Period, PublishPeriod.Result> published) {}

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
      generateAndRank(spark, lakehouse, defaults, RANKED_PERIOD);
      rankedPeriod = lakehouse;
    }
    return rankedPeriod;
  }

  /** 2,000 generated households of {@code period}, ingested, conformed and ranked (pmt-ilustratif@1). */
  private static void generateAndRank(SparkSession spark, Lakehouse lakehouse, DtksSettings defaults, Period period) {
    GenerateRawExports.into(spark, lakehouse).settings(defaults.generator().withHouseholds(2_000)).period(period)
        .partitions(2).execute();
    IngestPeriod.into(spark, lakehouse).period(period).execute();
    ConformPeriod.into(spark, lakehouse).period(period).execute();
    RankPeriod.in(spark, lakehouse).period(period)
        .settings(new DtksSettings.RankSettings("pmt-ilustratif@1", OptionalLong.empty(), 1024)).execute();
  }

  /**
   * A lakehouse with two generated periods of 2,000 households ({@link #PUBLISHED_PERIODS}), each run
   * through rank, coverage (with its exports and dashboard page) and publish, made once per test JVM:
   * what analysts' notebooks and the dashboard read, and what the publish tests check.
   */
  public static synchronized PublishedPeriods publishedPeriods() {
    if (publishedPeriods == null) {
      Map<Period, PublishPeriod.Result> published = new java.util.LinkedHashMap<>();
      SparkSession spark = TestSpark.session();
      Lakehouse lakehouse = freshWithReference("published-periods");
      DtksSettings defaults = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings();
      for (Period period : PUBLISHED_PERIODS) {
        generateAndRank(spark, lakehouse, defaults, period);
        CoveragePeriod.in(spark, lakehouse).period(period).settings(defaults.coverage()).execute();
        published.put(period,
            PublishPeriod.in(spark, lakehouse).period(period).rules(defaults.programs()).pseudonymKey(PSEUDONYM_KEY).execute());
      }
      publishedPeriods = new PublishedPeriods(lakehouse, Map.copyOf(published));
    }
    return publishedPeriods;
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
