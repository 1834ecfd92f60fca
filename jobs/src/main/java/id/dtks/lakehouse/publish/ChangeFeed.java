package id.dtks.lakehouse.publish;

import static org.apache.spark.sql.functions.col;

import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What a consumer (a program's payment system, say) has not yet processed of a curated table: the
 * Change Data Feed from the version after its watermark to the table's current version. The
 * watermark, one row per consumer and table in {@code ops.watermark_konsumen}, moves only when the
 * consumer acknowledges a batch, so a consumer that fails while processing reads the same changes
 * again.
 */
public final class ChangeFeed {
  public static final String WATERMARK_TABLE = "watermark_konsumen";
  private static final StructType WATERMARK_SCHEMA = StructType.fromDDL(
      "konsumen STRING, tabel STRING, versi BIGINT, diperbarui TIMESTAMP");

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final String table;

  private ChangeFeed(SparkSession spark, Lakehouse lakehouse, String table) {
    this.spark = spark;
    this.lakehouse = lakehouse;
    this.table = table;
  }

  /** The change feed of the gold table {@code table} (e.g. kelayakan_program). */
  public static ChangeFeed of(SparkSession spark, Lakehouse lakehouse, String table) {
    return new ChangeFeed(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"), table);
  }

  /**
   * Changes not yet acknowledged: versions {@code fromVersion} to {@code toVersion} (none when
   * {@code fromVersion > toVersion}); {@code changes} has the table's columns plus
   * {@code _change_type} (insert, delete, update_preimage, update_postimage), {@code _commit_version}
   * and {@code _commit_timestamp}.
   */
  public record Pending(String consumer, long fromVersion, long toVersion, Dataset<Row> changes) {
    public boolean isEmpty() {
      return fromVersion > toVersion;
    }
  }

  public Pending pending(String consumer) {
    requireName(consumer);
    String path = lakehouse.table(Layer.GOLD, table);
    long current;
    try {
      current = DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
    } catch (Exception e) { // AnalysisException is thrown undeclared by Scala
      throw new IllegalStateException("Cannot read the changes of gold." + table + ": there is no such table at " + path
          + "; run 'dtks publish' first", e);
    }
    long from = watermark(consumer).map(v -> v + 1).orElse(0L);
    Dataset<Row> changes = from > current
        ? spark.read().format("delta").load(path).limit(0)
        : spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", from)
            .option("endingVersion", current).load(path);
    return new Pending(consumer, from, current, changes);
  }

  /** Records that {@code consumer} processed everything up to {@code pending.toVersion()}. */
  public void acknowledge(Pending pending) {
    if (pending.isEmpty()) {
      return;
    }
    Row row = RowFactory.create(pending.consumer(), table, pending.toVersion(), Timestamp.from(Instant.now()));
    Dataset<Row> update = spark.createDataFrame(List.of(row), WATERMARK_SCHEMA);
    String path = id.dtks.lakehouse.spark.Writes.qualified(spark, lakehouse.table(Layer.OPS, WATERMARK_TABLE));
    DeltaTable.createIfNotExists(spark).location(path).addColumns(WATERMARK_SCHEMA).execute();
    DeltaTable.forPath(spark, path).as("w")
        .merge(update.as("u"), "w.konsumen = u.konsumen AND w.tabel = u.tabel")
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }

  /** The last version {@code consumer} acknowledged, if any. */
  public Optional<Long> watermark(String consumer) {
    String path = lakehouse.table(Layer.OPS, WATERMARK_TABLE);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    List<Row> rows = spark.read().format("delta").load(path)
        .where(col("konsumen").equalTo(consumer).and(col("tabel").equalTo(table))).select("versi").collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getLong(0));
  }

  private static void requireName(String consumer) {
    if (consumer == null || !consumer.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("A consumer name is letters, digits, '_', '.', '-' (up to 64), e.g. pkh-payment; not '"
          + consumer + "'");
    }
  }
}
