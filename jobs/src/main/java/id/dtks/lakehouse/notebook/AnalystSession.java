package id.dtks.lakehouse.notebook;

import static org.apache.spark.sql.functions.col;

import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.coverage.CoveragePeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.prelist.PrelistPeriod;
import id.dtks.lakehouse.publish.PublishPeriod;
import id.dtks.lakehouse.rank.CalibratePeriod;
import id.dtks.lakehouse.rank.PmtModel;
import id.dtks.lakehouse.rank.RankPeriod;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What an analyst's notebook starts with: the project's settings, an embedded Spark session with
 * Delta, and the curated tables an analyst may read registered under their documented names
 * ({@code gold.cakupan_wilayah}, {@code ops.publikasi}, ...), so cells are plain Spark SQL.
 *
 * <p>Only tables without personal data in clear are registered (jobs/docs/curated-tables.md, "Who
 * may read what"): not silver, not the quarantine, not the program tables with NIKs, not the
 * prelist. Settings come from the file in {@code DTKS_CONFIG} (scripts/notebooks sets it to
 * conf/local.conf); scripts/notebooks sets the lakehouse from {@code DTKS_LAKEHOUSE_ROOT} (default: the checkout's).
 */
public final class AnalystSession implements AutoCloseable {
  /** The settings file a notebook reads. */
  public static final String CONFIG_VARIABLE = "DTKS_CONFIG";
  /** The period a notebook looks at, when not the latest with coverage statistics. */
  public static final String PERIOD_VARIABLE = "DTKS_PERIOD";

  /** Layer and table of every table analysts may read: counts, rankings and pseudonyms only. */
  static final Map<Layer, List<String>> ANALYST_TABLES = Map.of(
      Layer.GOLD, List.of(CoveragePeriod.REGIONS_TABLE, CoveragePeriod.PROGRAMS_TABLE, PublishPeriod.HOUSEHOLDS_TABLE,
          PublishPeriod.MEMBERS_TABLE, RankPeriod.TABLE, PmtModel.TABLE, CalibratePeriod.EVALUATION_TABLE,
          PrelistPeriod.WORKLOAD_TABLE),
      Layer.OPS, List.of(PublishPeriod.MANIFEST_TABLE, RunLog.TABLE));

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final List<String> registered;

  private AnalystSession(SparkSession spark, Lakehouse lakehouse, List<String> registered) {
    this.spark = spark;
    this.lakehouse = lakehouse;
    this.registered = registered;
  }

  /** Opens the session of {@code DTKS_CONFIG}'s settings file and prints what it found. */
  public static AnalystSession open() {
    String config = System.getenv(CONFIG_VARIABLE);
    if (config == null || config.isBlank()) {
      throw new IllegalStateException("Cannot open the analyst session: " + CONFIG_VARIABLE + " is not set. Start Jupyter with "
          + "scripts/notebooks, which sets it to conf/local.conf, or set it to the settings file of your lakehouse");
    }
    return open(new File(config));
  }

  /** Opens a session with the settings in {@code settingsFile}. */
  public static AnalystSession open(File settingsFile) {
    quietJavaLogging();
    DtksSettings settings = SettingsLoader.load(Optional.of(settingsFile)).settings();
    SparkSession spark = id.dtks.lakehouse.spark.SparkSessions.create(settings.spark());
    spark.sparkContext().setLogLevel("ERROR");
    Lakehouse lakehouse = new Lakehouse(settings.lakehouse());
    List<String> registered = register(spark, lakehouse);
    if (registered.isEmpty()) {
      throw new IllegalStateException("No curated tables under " + lakehouse.root() + ": run 'scripts/dtks demo' (or the pipeline) "
          + "first, or point DTKS_LAKEHOUSE_ROOT at a lakehouse");
    }
    System.out.printf("Lakehouse %s: %d tables (%s)%n", lakehouse.root(), registered.size(), String.join(", ", registered));
    return new AnalystSession(spark, lakehouse, registered);
  }

  /**
   * JShell, which the notebook kernel runs on, logs through java.util.logging; at its default level
   * Spark's code generation floods the cell and then fails (ENGINEERING.md).
   */
  private static void quietJavaLogging() {
    LogManager.getLogManager().getLogger("").setLevel(Level.WARNING);
  }

  private static List<String> register(SparkSession spark, Lakehouse lakehouse) {
    List<String> registered = new ArrayList<>();
    for (Layer layer : List.of(Layer.GOLD, Layer.OPS)) {
      for (String table : ANALYST_TABLES.get(layer)) {
        String path = lakehouse.table(layer, table);
        if (isDeltaTable(spark, path)) {
          String name = layer.folder() + "." + table;
          spark.sql("CREATE DATABASE IF NOT EXISTS " + layer.folder());
          spark.sql("CREATE TABLE IF NOT EXISTS " + name + " USING delta LOCATION '" + path.replace("'", "\\'") + "'");
          registered.add(name);
        }
      }
    }
    return registered;
  }

  private static boolean isDeltaTable(SparkSession spark, String path) {
    Path log = new Path(path, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look for the Delta table " + path, e);
    }
  }

  public SparkSession spark() {
    return spark;
  }

  public Lakehouse lakehouse() {
    return lakehouse;
  }

  /** The tables this session registered, as {@code layer.table}. */
  public List<String> tables() {
    return registered;
  }

  public Dataset<Row> sql(String query) {
    return spark.sql(query);
  }

  /** The periods with coverage statistics, oldest first. */
  public List<String> periods() {
    return spark.table("gold." + CoveragePeriod.REGIONS_TABLE).select("periode").distinct().orderBy("periode")
        .as(Encoders.STRING()).collectAsList();
  }

  /** {@code DTKS_PERIOD} when set, else the latest period with coverage statistics. */
  public String period() {
    String chosen = System.getenv(PERIOD_VARIABLE);
    List<String> periods = periods();
    if (chosen != null && !chosen.isBlank()) {
      if (!periods.contains(chosen)) {
        throw new IllegalArgumentException(PERIOD_VARIABLE + "=" + chosen + " has no coverage statistics; the lakehouse has " + periods);
      }
      return chosen;
    }
    if (periods.isEmpty()) {
      throw new IllegalStateException("gold." + CoveragePeriod.REGIONS_TABLE + " holds no period: run 'dtks coverage' first");
    }
    return periods.get(periods.size() - 1);
  }

  /** ops.publikasi's rows of a period: which version of each table it was published from and to. */
  public Dataset<Row> publication(String period) {
    return spark.table("ops." + PublishPeriod.MANIFEST_TABLE).where(col("periode").equalTo(period)).orderBy("peran", "tabel");
  }

  /**
   * A table exactly as {@code period} was published to it ({@code peran = keluaran} in ops.publikasi),
   * whatever was written since: the same rows a program read that month. Tables with a period
   * column keep only that period's rows.
   */
  public Dataset<Row> asPublished(String table, String period) {
    if (!registered.contains(table)) {
      throw new IllegalArgumentException(table + " is not an analyst table of this session; it has " + registered
          + " (the program tables hold NIKs in clear and are read by the programs' systems only)");
    }
    List<Long> versions = publication(period).where(col("peran").equalTo("keluaran").and(col("tabel").equalTo(table)))
        .select("versi").as(Encoders.LONG()).collectAsList();
    if (versions.size() != 1) {
      throw new IllegalArgumentException("Period " + period + " was not published to " + table + " (ops.publikasi has "
          + versions.size() + " rows for it); published periods: " + spark.table("ops." + PublishPeriod.MANIFEST_TABLE)
          .select("periode").distinct().orderBy("periode").as(Encoders.STRING()).collectAsList());
    }
    String[] layerAndName = table.split("\\.", 2);
    Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", versions.get(0))
        .load(lakehouse.table(Layer.valueOf(layerAndName[0].toUpperCase(java.util.Locale.ROOT)), layerAndName[1]));
    return List.of(rows.columns()).contains("periode") ? rows.where(col("periode").equalTo(period)) : rows;
  }

  /** The first rows of a query as an HTML table (numbers grouped, shares as percentages). */
  public String table(Dataset<Row> rows) {
    return NotebookHtml.table(rows, NotebookHtml.DEFAULT_ROWS);
  }

  public String table(String query) {
    return table(sql(query));
  }

  /** A horizontal bar chart (inline SVG) of one value per label, in the rows' order. */
  public String barChart(String title, Dataset<Row> rows, String labelColumn, String valueColumn) {
    return NotebookHtml.barChart(title, rows, labelColumn, valueColumn);
  }

  @Override
  public void close() {
    spark.stop();
  }
}
