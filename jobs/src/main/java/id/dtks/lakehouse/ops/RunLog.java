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
