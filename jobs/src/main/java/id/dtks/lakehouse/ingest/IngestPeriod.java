package id.dtks.lakehouse.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.Writes;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Loads one period's raw exports into the bronze layer. First every export is held to the
 * contract (nothing is written when one fails); then each is checked row by row, in the order
 * the checks depend on each other, and split into its bronze table (accepted rows, with load
 * metadata) and the one quarantine table (rejected rows, with every reason). Rows read = rows
 * accepted + rows quarantined for every export, or the job fails; the counts go to ops.run_log.
 * A re-run replaces the period's rows, never duplicates them.
 */
public final class IngestPeriod {
  public static final String QUARANTINE_TABLE = "karantina";
  public static final String JOB = "ingest";
  /** The order in which exports are checked: each checks against the ones before it. */
  static final List<RawExport> ORDER = List.of(RawExport.OPERATOR, RawExport.RUMAH_TANGGA, RawExport.ANGGOTA_RUMAH_TANGGA,
      RawExport.PADAN_DUKCAPIL, RawExport.VERIVALI, RawExport.PENERIMA_PROGRAM, RawExport.SURVEI_KONSUMSI);
  static final String SOURCE_FILE = "file_sumber";
  static final String PERIOD = "periode";
  /**
   * Up to this many rejected rows, their ids (a long each, some 16 bytes in Spark's hash table) go
   * to every task, and the export's rows are split where they are read; above it, as in a batch
   * gone badly wrong, Spark joins them by shuffling.
   */
  static final long BROADCAST_REJECTED_ROWS = 4_000_000;

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Period period;
  private Progress progress;

  private IngestPeriod(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static IngestPeriod into(SparkSession spark, Lakehouse lakehouse) {
    return new IngestPeriod(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public IngestPeriod period(Period reportingPeriod) {
    this.period = Objects.requireNonNull(reportingPeriod, "period");
    return this;
  }

  public IngestPeriod progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /** The batch, its counts per export, and the extra columns each export had (left out). */
  public record Result(Period period, String batchId, List<RunLog.Entry> counts, Map<RawExport, Set<String>> extraColumns)
      implements Progress.RowCount {
    @Override
    public long rows() {
      return counts.stream().mapToLong(RunLog.Entry::read).sum();
    }
  }

  public Result execute() {
    if (period == null) {
      throw new IllegalStateException("Cannot ingest: the period is required");
    }
    Progress steps = progress != null ? progress : new Progress(spark, JOB);
    Instant started = Instant.now();
    String runId = UUID.randomUUID().toString();

    Map<RawExport, RawContract.CheckedExport> checked = new EnumMap<>(RawExport.class);
    steps.run("check the raw exports against the contract", () -> {
      for (RawExport export : ORDER) {
        checked.put(export, RawContract.check(spark, period, export, lakehouse.rawTable(period, export.folder())));
      }
    });
    String batchId = RawContract.batchId(period, new ArrayList<>(checked.values()));
    Map<RawExport, Set<String>> extras = new EnumMap<>(RawExport.class);
    checked.forEach((export, result) -> {
      extras.put(export, result.extraColumns());
      if (!result.extraColumns().isEmpty()) {
        steps.info("WARNING: export %s has columns outside the contract, left out: %s", export.folder(),
            String.join(", ", result.extraColumns()));
      }
    });
    steps.info("batch %s: %d exports, %d files", batchId, checked.size(),
        checked.values().stream().mapToInt(c -> c.files().size()).sum());

    Dataset<Row> desa = ref("wilayah").where(col("tingkat").equalTo("desa")).select(col("kode").as("_kode_desa_ref"));
    // 514 codes: bounded by the region list, not by households.
    List<String> kabkota = ref("wilayah").where(col("tingkat").equalTo("kabkota")).select("kode").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    Timestamp loadTime = Timestamp.from(started);
    List<RunLog.Entry> counts = new ArrayList<>();
    for (RawExport export : ORDER) {
      RowChecks.Context context = new RowChecks.Context(period, desa, kabkota,
          checked.get(RawExport.RUMAH_TANGGA).rows().select("id_rt"),
          bronzeOfPeriod(RawExport.RUMAH_TANGGA, export, "id_rt"),
          bronzeOfPeriod(RawExport.ANGGOTA_RUMAH_TANGGA, export, "id_art"),
          bronzeOfPeriod(RawExport.OPERATOR, export, "id_operator", "status_akses", "tanggal_dicabut"));
      counts.add(steps.step("load " + export.folder(),
          () -> load(export, checked.get(export).rows(), context, batchId, loadTime)));
    }

    List<RunLog.Entry> unreconciled = counts.stream().filter(c -> !c.reconciles()).toList();
    RunLog.append(spark, lakehouse, runId, JOB, period, batchId, counts, unreconciled.isEmpty() ? RunLog.OK : RunLog.FAILED, started);
    if (!unreconciled.isEmpty()) {
      RunLog.Entry first = unreconciled.get(0);
      throw new IllegalStateException("Cannot ingest period " + period + ": the counts of " + first.table()
          + " do not reconcile: read " + first.read() + ", accepted " + first.accepted() + " + quarantined "
          + first.quarantined() + ". The run is logged as " + RunLog.FAILED + " in ops.run_log");
    }
    return new Result(period, batchId, counts, extras);
  }

  private RunLog.Entry load(RawExport export, Dataset<Row> raw, RowChecks.Context context, String batchId, Timestamp loadTime) {
    long read = raw.count(); // parquet answers from its footers
    // The checks run on narrow rows and keep the rejected ones' ids and reasons: few, so they are
    // held in memory, and the export's wide rows are split by id without being shuffled.
    Dataset<Row> rejected = RowChecks.reasons(export, raw, context).where(size(col(RowChecks.REASONS)).gt(0))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long rejectedRows = rejected.count();
      Dataset<Row> rejectedIds = rejected.select(RawContract.ROW_ID);
      if (rejectedRows <= BROADCAST_REJECTED_ROWS) {
        rejectedIds = broadcast(rejectedIds);
      }
      Column[] contract = Arrays.stream(export.schema().fieldNames()).map(c -> col(c)).toArray(Column[]::new);
      Dataset<Row> accepted = raw.join(rejectedIds, RawContract.ROW_ID, "left_anti")
          .select(concat(contract, lit(period.toString()).as(PERIOD), lit(batchId).as("id_batch"),
              col(SOURCE_FILE), lit(loadTime).as("waktu_muat")));
      Dataset<Row> quarantined = raw.join(rejectedIds, RawContract.ROW_ID, "left_semi")
          .join(rejected, RawContract.ROW_ID)
          .select(
              lit(export.folder()).as("tabel_sumber"),
              concat_ws(",", RowChecks.key(export).stream().map(c -> concat_ws("=", lit(c), col(c).cast("string"))).toArray(Column[]::new))
                  .as("kunci_baris"),
              to_json(struct(contract)).as("isi_baris"),
              col(RowChecks.REASONS),
              col(SOURCE_FILE),
              lit(period.toString()).as(PERIOD),
              lit(batchId).as("id_batch"),
              lit(loadTime).as("waktu_muat"));
      long acceptedRows = Writes.replaceWhere(accepted, lakehouse.table(Layer.BRONZE, export.folder()),
          PERIOD + " = '" + period + "'", PERIOD, Writes.NO_COLUMN_STATISTICS);
      long quarantinedRows = Writes.replaceWhere(quarantined, lakehouse.table(Layer.BRONZE, QUARANTINE_TABLE),
          PERIOD + " = '" + period + "' AND tabel_sumber = '" + export.folder() + "'", PERIOD);
      return new RunLog.Entry(export.folder(), read, acceptedRows, quarantinedRows);
    } finally {
      rejected.unpersist();
    }
  }

  /** The period's bronze rows of {@code table}, once it is loaded (before: an empty frame is never used). */
  private Dataset<Row> bronzeOfPeriod(RawExport table, RawExport loading, String... columns) {
    if (ORDER.indexOf(table) >= ORDER.indexOf(loading)) {
      return null;
    }
    return spark.read().format("delta").load(lakehouse.table(Layer.BRONZE, table.folder()))
        .where(col(PERIOD).equalTo(period.toString()))
        .select(Arrays.stream(columns).map(c -> col(c)).toArray(Column[]::new));
  }

  private Dataset<Row> ref(String table) {
    try {
      return spark.read().format("delta").load(lakehouse.table(Layer.REF, table));
    } catch (Exception e) { // AnalysisException is thrown undeclared by Scala
      throw new IllegalStateException("Cannot ingest: reference table ref." + table + " cannot be read at "
          + lakehouse.table(Layer.REF, table) + ". Run 'dtks reference' first", e);
    }
  }

  private static Column[] concat(Column[] first, Column... rest) {
    Column[] all = Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
