package id.dtks.lakehouse.spark;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes that count their rows as they go (an {@link Observation} rides on the write itself), so no
 * second scan is needed to report what was written.
 */
public final class Writes {
  /**
   * Table properties of a table whose readers take whole periods or the whole table, as the
   * pipeline reads bronze and silver: Delta records each file's row count but no per-column min,
   * max and null count. Those statistics only let a reader skip files by a column's value, and
   * computing them for every column of every row took 12% of ingest's CPU at 10 M households (a
   * JFR profile). The gold tables, which programs and analysts filter by region, keep them.
   */
  public static final Map<String, String> NO_COLUMN_STATISTICS = Map.of("delta.dataSkippingNumIndexedCols", "0");

  private Writes() {}

  /** Replaces the parquet folder at {@code path} with {@code rows}; returns the rows written. */
  public static long replaceParquet(Dataset<Row> rows, String path) {
    Observation written = new Observation("rows written to " + path);
    rows.observe(written, count(lit(1)).as("rows"))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(path);
    return rowsOf(written);
  }

  /**
   * Replaces the whole Delta table at {@code path} in one commit (atomic: readers see the old
   * version or the new one, and a failed write leaves the old one); returns the rows written.
   */
  public static long replaceDelta(Dataset<Row> rows, String path) {
    Observation written = new Observation("rows written to " + path);
    rows.observe(written, count(lit(1)).as("rows"))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .save(path);
    return rowsOf(written);
  }

  /**
   * Replaces the rows of a Delta table that match {@code condition} (one period, say) with
   * {@code rows}, in one commit, creating the table partitioned by {@code partitionColumn} if it
   * does not exist; returns the rows written. Re-running replaces, never duplicates.
   */
  public static long replaceWhere(Dataset<Row> rows, String path, String condition, String partitionColumn) {
    return replaceWhere(rows, path, condition, partitionColumn, Map.of());
  }

  /**
   * As {@link #replaceWhere(Dataset, String, String, String)}, creating the table, if it does not
   * exist, with the Delta {@code tableProperties} (e.g. {@link #NO_COLUMN_STATISTICS}); a table that
   * exists keeps its own.
   */
  public static long replaceWhere(Dataset<Row> rows, String path, String condition, String partitionColumn,
      Map<String, String> tableProperties) {
    Observation written = new Observation("rows written to " + path);
    rows.observe(written, count(lit(1)).as("rows"))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .options(tableProperties)
        .option("replaceWhere", condition)
        .partitionBy(partitionColumn)
        .save(path);
    return rowsOf(written);
  }

  /**
   * Appends {@code rows} to the Delta table at {@code path} when the table holds no rows yet, in one
   * commit; returns the rows written, or empty (writing nothing) when it holds rows.
   *
   * <p>For the tables a MERGE keeps current: into an empty table every row is an insert, and a plain
   * write passes over the rows once, where MERGE computes its source and stores it on disk, scans
   * it for the rows it matches, then reads it again to write: at 10 M households conform's MERGE
   * of the members spent 233 s computing and storing its source and 106 s writing it. A rerun
   * finds the rows there and merges (changing nothing); a write cut off commits nothing, so the
   * rerun writes again.
   */
  public static OptionalLong appendIfEmpty(Dataset<Row> rows, String path) {
    long files = DeltaTable.forPath(rows.sparkSession(), path).detail().select("numFiles").first().getLong(0);
    if (files > 0) {
      return OptionalLong.empty();
    }
    Observation written = new Observation("rows written to " + path);
    rows.observe(written, count(lit(1)).as("rows"))
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(path);
    return OptionalLong.of(rowsOf(written));
  }

  /**
   * {@code path} made absolute on its file system. Delta's table builder takes a relative location
   * for a table name; a qualified path is always a path.
   */
  public static String qualified(org.apache.spark.sql.SparkSession spark, String path) {
    org.apache.hadoop.fs.Path hadoopPath = new org.apache.hadoop.fs.Path(path);
    try {
      return hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(hadoopPath).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot resolve the location " + path + ": " + e.getMessage(), e);
    }
  }

  private static long rowsOf(Observation observation) {
    Map<String, Object> metrics;
    try {
      metrics = observation.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the row count of " + observation.name(), e);
    }
    Object rows = metrics.get("rows");
    return rows == null ? 0 : ((Number) rows).longValue();
  }
}
