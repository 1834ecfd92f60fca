package id.dtks.lakehouse.ops;

import id.dtks.lakehouse.cli.BuildInfo;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.spark.Progress;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ops.run_log}: one row per table per job run, with the reconciliation counts (rows read
 * = rows accepted + rows quarantined) and whether the run finished. Appended, never rewritten:
 * it is the history of what ran.
 */
public final class RunLog {
  public static final String TABLE = "run_log";
  public static final String OK = "SELESAI";
  public static final String FAILED = "GAGAL";
  static final StructType SCHEMA = StructType.fromDDL(
      "id_run STRING, job STRING, periode STRING, id_batch STRING, tabel STRING, baris_dibaca BIGINT, "
          + "baris_diterima BIGINT, baris_dikarantina BIGINT, status STRING, waktu_mulai TIMESTAMP, "
          + "waktu_selesai TIMESTAMP, versi_build STRING");

  private RunLog() {}

  /** The counts of one table in one run. */
  public record Entry(String table, long read, long accepted, long quarantined) implements Progress.RowCount {
    @Override
    public long rows() {
      return read;
    }

    public boolean reconciles() {
      return read == accepted + quarantined;
    }
  }

  /**
   * The latest period that {@code job} finished, if any. Fails with {@code what} and a hint when
   * there is no run log yet (nothing ran in this lakehouse).
   */
  public static java.util.Optional<Period> latestFinished(SparkSession spark, Lakehouse lakehouse, String job, String what) {
    org.apache.spark.sql.Dataset<Row> log;
    try {
      log = spark.read().format("delta").load(lakehouse.table(Layer.OPS, TABLE));
    } catch (Exception e) { // AnalysisException is thrown undeclared by Scala
      throw new IllegalStateException(what + ": there is no ops.run_log in " + lakehouse.root()
          + " yet. Run 'dtks demo', or the jobs from 'dtks ingest' on, first", e);
    }
    Row latest = log.where("job = '" + job + "' AND status = '" + OK + "'").selectExpr("max(periode)").first();
    return latest.isNullAt(0) ? java.util.Optional.empty() : java.util.Optional.of(Period.parse(latest.getString(0)));
  }

  /**
   * Requires that silver holds exactly {@code period}: the steps after conform read silver's current
   * state, which is the latest conformed period.
   */
  public static void requireSilverAt(SparkSession spark, Lakehouse lakehouse, Period period, String conformJob, String what) {
    java.util.Optional<Period> conformed = latestFinished(spark, lakehouse, conformJob, what);
    if (conformed.isEmpty()) {
      throw new IllegalStateException(what + ": no period has been conformed yet. Run 'dtks conform --period " + period + "' first");
    }
    if (!conformed.get().equals(period)) {
      throw new IllegalStateException(what + ": silver holds the registry as of period " + conformed.get()
          + " (the latest conformed period), not " + period + (conformed.get().compareTo(period) < 0
              ? ". Run 'dtks ingest' and 'dtks conform' for " + period + " first" : ""));
    }
  }

  /** Requires a finished run of {@code job} for {@code period}: a step that reads what that job wrote for the period. */
  public static void requireFinished(SparkSession spark, Lakehouse lakehouse, String job, Period period, String what) {
    latestFinished(spark, lakehouse, job, what);
    org.apache.spark.sql.Dataset<Row> log = spark.read().format("delta").load(lakehouse.table(Layer.OPS, TABLE));
    if (log.where("job = '" + job + "' AND status = '" + OK + "' AND periode = '" + period + "'").isEmpty()) {
      throw new IllegalStateException(what + ": no finished '" + job + "' run for period " + period
          + " in ops.run_log. Run 'dtks " + job + " --period " + period + "' first");
    }
  }

  public static void append(SparkSession spark, Lakehouse lakehouse, String runId, String job, Period period,
      String batchId, List<Entry> entries, String status, Instant started) {
    Timestamp finished = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (Entry entry : entries) {
      rows.add(RowFactory.create(runId, job, period.toString(), batchId, entry.table(), entry.read(), entry.accepted(),
          entry.quarantined(), status, Timestamp.from(started), finished, BuildInfo.version()));
    }
    spark.createDataFrame(rows, SCHEMA).write().format("delta").mode(SaveMode.Append)
        .save(lakehouse.table(Layer.OPS, TABLE));
  }
}
