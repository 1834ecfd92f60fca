package id.dtks.lakehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Compares two local lakehouses table by table and file by file: the same tables in every layer,
 * the same schemas, the same rows (as multisets, so order and file layout may differ), and
 * byte-identical export files. Says what differs, with sample rows, rather than only that it does.
 */
public final class LakehouseComparison {
  /**
   * Columns whose values belong to a run, not to the data: bronze's load batch id and load time
   * (jobs/docs/raw-exports.md). Everything else must be equal.
   */
  public static final Set<String> RUN_COLUMNS = Set.of("id_batch", "waktu_muat");
  /**
   * Bronze's source file: the compared runs read copies of the same raw exports from their own
   * folders, so the path is compared from the period's raw folder on ({@code 2026-11/rumah_tangga/part-...}).
   */
  public static final String SOURCE_FILE_COLUMN = "file_sumber";
  /** The layers of curated and conformed data; ops.run_log records runs (ids, times) and is left out. */
  public static final List<String> LAYERS = List.of("ref", "bronze", "silver", "gold");

  private final SparkSession spark;
  private final Path expected;
  private final Path actual;

  public LakehouseComparison(SparkSession spark, Path expected, Path actual) {
    this.spark = spark;
    this.expected = expected;
    this.actual = actual;
  }

  /** One compared table: its name (layer/table), rows on each side and what differs (empty when equal). */
  public record TableResult(String table, long expectedRows, long actualRows, List<String> differences) {
    public boolean equal() {
      return differences.isEmpty();
    }

    @Override
    public String toString() {
      return String.format("%-40s %,10d rows %s", table, expectedRows,
          equal() ? "equal" : "DIFFERENT (" + actualRows + " rows): " + String.join("; ", differences));
    }
  }

  /** Every Delta table of {@link #LAYERS} and ops.publikasi, in a stable order. */
  public List<TableResult> tables() {
    List<TableResult> results = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String layer : LAYERS) {
      names.addAll(deltaTables(layer));
    }
    names.add("ops/publikasi");
    for (String name : names) {
      results.add(compareTable(name));
    }
    return results;
  }

  /** Delta tables present on either side: a table only one side has is a difference, not a skip. */
  private List<String> deltaTables(String layer) {
    Set<String> names = new TreeSet<>();
    for (Path root : List.of(expected, actual)) {
      Path folder = root.resolve(layer);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> children = Files.list(folder)) {
        children.filter(child -> Files.isDirectory(child.resolve("_delta_log")))
            .forEach(child -> names.add(layer + "/" + child.getFileName()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(names);
  }

  private TableResult compareTable(String name) {
    Path left = expected.resolve(name);
    Path right = actual.resolve(name);
    if (!Files.isDirectory(left.resolve("_delta_log")) || !Files.isDirectory(right.resolve("_delta_log"))) {
      return new TableResult(name, -1, -1, List.of("only in " + (Files.isDirectory(left) ? expected : actual)));
    }
    Dataset<Row> expectedRows = withoutRunColumns(spark.read().format("delta").load(left.toString()));
    Dataset<Row> actualRows = withoutRunColumns(spark.read().format("delta").load(right.toString()));
    List<String> differences = new ArrayList<>();
    if (!expectedRows.schema().equals(actualRows.schema())) {
      differences.add("schema " + actualRows.schema().simpleString() + ", expected " + expectedRows.schema().simpleString());
      return new TableResult(name, expectedRows.count(), actualRows.count(), differences);
    }
    // Rows as multisets in one pass: each distinct row with +1 per expected copy and -1 per actual copy.
    Column[] columns = Arrays.stream(expectedRows.columns()).map(functions::col).toArray(Column[]::new);
    Dataset<Row> balance = expectedRows.withColumn("_side", functions.lit(1))
        .unionByName(actualRows.withColumn("_side", functions.lit(-1)))
        .groupBy(columns)
        .agg(functions.sum("_side").as("_balance"), functions.count(functions.lit(1)).as("_copies"))
        .persist();
    try {
      Row totals = balance.agg(
          functions.sum(functions.col("_copies").plus(functions.col("_balance")).divide(2)).cast("long"),
          functions.sum(functions.col("_copies").minus(functions.col("_balance")).divide(2)).cast("long"),
          functions.sum(functions.when(functions.col("_balance").gt(0), functions.col("_balance")).otherwise(0)),
          functions.sum(functions.when(functions.col("_balance").lt(0), functions.negate(functions.col("_balance"))).otherwise(0)))
          .first();
      long expectedCount = totals.isNullAt(0) ? 0 : totals.getLong(0);
      long actualCount = totals.isNullAt(1) ? 0 : totals.getLong(1);
      long missingCount = totals.isNullAt(2) ? 0 : totals.getLong(2);
      long extraCount = totals.isNullAt(3) ? 0 : totals.getLong(3);
      if (expectedCount != actualCount) {
        differences.add(actualCount + " rows, expected " + expectedCount);
      }
      if (missingCount > 0) {
        differences.add(missingCount + " expected rows missing, e.g. "
            + balance.where(functions.col("_balance").gt(0)).drop("_balance", "_copies").limit(2).collectAsList());
      }
      if (extraCount > 0) {
        differences.add(extraCount + " rows not expected, e.g. "
            + balance.where(functions.col("_balance").lt(0)).drop("_balance", "_copies").limit(2).collectAsList());
      }
      return new TableResult(name, expectedCount, actualCount, differences);
    } finally {
      balance.unpersist();
    }
  }

  private static Dataset<Row> withoutRunColumns(Dataset<Row> table) {
    Column[] kept = Arrays.stream(table.columns()).filter(c -> !RUN_COLUMNS.contains(c))
        .map(c -> c.equals(SOURCE_FILE_COLUMN)
            ? functions.regexp_replace(functions.col(c), "^.*/raw/", "").as(c)
            : functions.col(c))
        .toArray(Column[]::new);
    return table.select(kept);
  }

  /** Export files (relative paths) that differ in content or exist on one side only; empty when all are equal. */
  public List<String> differentExportFiles() {
    Set<String> files = new TreeSet<>();
    files.addAll(exportFiles(expected));
    files.addAll(exportFiles(actual));
    List<String> different = new ArrayList<>();
    for (String file : files) {
      Path left = expected.resolve(file);
      Path right = actual.resolve(file);
      try {
        if (!Files.isRegularFile(left) || !Files.isRegularFile(right) || Files.mismatch(left, right) != -1) {
          different.add(file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return different;
  }

  /** The export files of a lakehouse, relative to its root. */
  public static List<String> exportFiles(Path root) {
    Path exports = root.resolve("export");
    if (!Files.isDirectory(exports)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(exports)) {
      return walk.filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().startsWith("."))
          .map(file -> root.relativize(file).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
