package id.dtks.lakehouse.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A curated Delta table as programs, analysts and other engines read it: created with its schema
 * (NOT NULL columns enforced by Delta), Change Data Feed on, a symlink manifest for engines
 * without Delta support (DuckDB, Trino, Athena), which Delta's post-commit hook rewrites with every
 * commit (only the partitions a commit touched), and CHECK constraints. A write that breaks
 * a constraint fails whole and leaves the table at its last version.
 */
public final class CuratedTable {
  /** Row content hash: a merge updates a row only when it changed, so the change feed stays exact. */
  public static final String ROW_HASH = "hash_baris";
  /**
   * Table property naming the columns a table's periods are clustered by at write (comma-separated),
   * so readers and the benchmark report can tell; Delta's own clustering columns stay empty.
   */
  public static final String CLUSTERED_BY_PROPERTY = "dtks.clusteredBy";

  private final SparkSession spark;
  private final String path;
  private final Set<String> notNull;
  private final Map<String, String> checks;
  private final String partitionColumn;
  private final List<String> clusterColumns;

  private CuratedTable(SparkSession spark, String path, Set<String> notNull, Map<String, String> checks, String partitionColumn,
      List<String> clusterColumns) {
    this.spark = spark;
    this.path = path;
    this.notNull = notNull;
    this.checks = checks;
    this.partitionColumn = partitionColumn;
    this.clusterColumns = clusterColumns;
  }

  /**
   * @param notNull columns Delta must refuse nulls in
   * @param checks constraint name to SQL condition
   * @param partitionColumn null for an unpartitioned table
   */
  public static CuratedTable at(SparkSession spark, String path, Set<String> notNull, Map<String, String> checks, String partitionColumn) {
    return new CuratedTable(spark, Writes.qualified(spark, path), Set.copyOf(notNull), new LinkedHashMap<>(checks), partitionColumn,
        List.of());
  }

  /**
   * This table with each period's rows range-partitioned by {@code columns} when written: every file
   * then holds a narrow, non-overlapping range of them (say of kode_provinsi, kode_kabkota), and
   * Delta's per-file min/max statistics let a reader of one province or district skip the other
   * files. The table stays partitioned by period only: 514 district partitions would make tiny
   * files (ENGINEERING.md). Costs one shuffle of the period's rows and a sample to find the ranges.
   */
  public CuratedTable clusteredBy(String... columns) {
    return new CuratedTable(spark, path, notNull, checks, partitionColumn, List.of(columns));
  }

  public String path() {
    return path;
  }

  /** Creates the table for {@code schema} if it does not exist, and adds any constraint it lacks. */
  public void ensure(StructType schema) {
    StructType declared = new StructType(Arrays.stream(schema.fields())
        .map(f -> new StructField(f.name(), f.dataType(), !notNull.contains(f.name()), f.metadata())).toArray(StructField[]::new));
    DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(declared)
        .property("delta.enableChangeDataFeed", "true")
        .property("delta.compatibility.symlinkFormatManifest.enabled", "true");
    if (partitionColumn != null) {
      builder = builder.partitionedBy(partitionColumn);
    }
    builder.execute();
    Row detail = DeltaTable.forPath(spark, path).detail().first();
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    String clustering = String.join(",", clusterColumns);
    if (!clusterColumns.isEmpty() && !clustering.equals(properties.get(CLUSTERED_BY_PROPERTY))) {
      spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('" + CLUSTERED_BY_PROPERTY + "' = '" + clustering + "')");
    }
    for (Map.Entry<String, String> check : checks.entrySet()) {
      if (!properties.containsKey("delta.constraints." + check.getKey().toLowerCase(java.util.Locale.ROOT))) {
        spark.sql("ALTER TABLE delta.`" + path + "` ADD CONSTRAINT " + check.getKey() + " CHECK (" + check.getValue() + ")");
      }
    }
  }

  /** Replaces the rows of one period, in one commit; returns the rows written. */
  public long replacePeriod(Dataset<Row> rows, String period) {
    ensure(rows.schema());
    Dataset<Row> clustered = clusterColumns.isEmpty() ? rows
        : rows.repartitionByRange(clusterColumns.stream().map(c -> col(c).asc()).toArray(Column[]::new));
    return Writes.replaceWhere(clustered, path, partitionColumn + " = '" + period + "'", partitionColumn);
  }

  /** What one merge did. */
  public record Merged(long inserted, long updated, long deleted, long version) {}

  /**
   * Makes the table hold exactly {@code rows} (the current state), keyed by {@code keys}: new keys
   * inserted with {@code periode_masuk} and {@code periode_berubah} set to the period, changed rows
   * updated ({@code periode_berubah} set), keys no longer present deleted; unchanged rows untouched.
   * So the change feed reports exactly who was added, removed or changed. Into an empty table
   * every row is an insert: written as it is, not merged.
   */
  public Merged mergeCurrentState(Dataset<Row> rows, List<String> keys, String period) {
    Column[] content = Arrays.stream(rows.columns()).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> source = rows.withColumn(ROW_HASH, xxhash64(content))
        .withColumn("periode_masuk", lit(period))
        .withColumn("periode_berubah", lit(period));
    ensure(source.schema());
    OptionalLong firstLoad = Writes.appendIfEmpty(source, path);
    if (firstLoad.isPresent()) {
      return new Merged(firstLoad.getAsLong(), 0, 0, version());
    }
    String on = String.join(" AND ", keys.stream().map(k -> "t." + k + " <=> s." + k).toList());
    Map<String, Column> update = new LinkedHashMap<>();
    for (String column : source.columns()) {
      if (!column.equals("periode_masuk")) {
        update.put(column, col("s." + column));
      }
    }
    DeltaTable.forPath(spark, path).as("t")
        .merge(source.as("s"), on)
        .whenMatched("t." + ROW_HASH + " <> s." + ROW_HASH).update(update)
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource().delete()
        .execute();
    Row last = DeltaTable.forPath(spark, path).history(1).select("version", "operationMetrics").first();
    Map<String, String> metrics = last.getJavaMap(1);
    return new Merged(metric(metrics, "numTargetRowsInserted"), metric(metrics, "numTargetRowsUpdated"),
        metric(metrics, "numTargetRowsDeleted"), last.getLong(0));
  }

  /** The table's current version. */
  public long version() {
    return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
  }

  private static long metric(Map<String, String> metrics, String name) {
    return Long.parseLong(metrics.getOrDefault(name, "0"));
  }
}
