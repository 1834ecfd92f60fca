package id.dtks.lakehouse.prelist;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;

import id.dtks.lakehouse.config.DtksSettings.PrelistSettings;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.spark.CuratedTable;
import id.dtks.lakehouse.spark.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code dtks prelist}: the households the field update visits ({@link PrelistSelection}),
 * assigned to enumerators, supervisors and coordinators ({@link FieldAssignment}).
 *
 * <ul>
 *   <li>{@code gold.prelist}: one row per household on the prelist with its reasons, region codes
 *       and officers; identifiers only, no names or NIKs.
 *   <li>{@code gold.beban_kerja_prelist}: the workload of each of the 514 kabupaten/kota (zeros where
 *       none is selected).
 *   <li>{@code <lakehouse>/export/prelist/<period>/<kode_kabkota>.csv}: the field apps' files, with
 *       the head of household's name and NIK: program-grade personal data (jobs/docs/prelist.md).
 * </ul>
 * Both tables hold one partition per period, replaced on a re-run; the exports folder is replaced whole.
 */
public final class PrelistPeriod {
  public static final String JOB = "prelist";
  public static final String TABLE = "prelist";
  public static final String WORKLOAD_TABLE = "beban_kerja_prelist";
  /** The export folder name below {@code <lakehouse>/export/}. */
  public static final String EXPORT = "prelist";

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Period period;
  private PrelistSettings settings;
  private Progress progress;

  private PrelistPeriod(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static PrelistPeriod in(SparkSession spark, Lakehouse lakehouse) {
    return new PrelistPeriod(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public PrelistPeriod period(Period prelistPeriod) {
    this.period = Objects.requireNonNull(prelistPeriod, "period");
    return this;
  }

  public PrelistPeriod settings(PrelistSettings prelistSettings) {
    this.settings = Objects.requireNonNull(prelistSettings, "settings");
    return this;
  }

  public PrelistPeriod progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /**
   * What was written: households on the prelist, by reason (a household counts under each of its
   * reasons), officers by role, households per enumerator nationally, the export folder (empty when
   * exports are off).
   */
  public record Result(Period period, long households, Map<String, Long> byReason, long enumerators, long supervisors,
      long coordinators, long minPerEnumerator, double meanPerEnumerator, long maxPerEnumerator, String exportFolder,
      long exportFiles) implements Progress.RowCount {
    @Override
    public long rows() {
      return households;
    }
  }

  public Result execute() {
    if (period == null || settings == null) {
      throw new IllegalStateException("Cannot prepare the prelist: the period and the prelist settings are required");
    }
    String what = "Cannot prepare the prelist of period " + period;
    RunLog.requireSilverAt(spark, lakehouse, period, ConformPeriod.JOB, what);
    RunLog.requireFinished(spark, lakehouse, RankPeriod.JOB, period, what);
    Progress steps = progress != null ? progress : new Progress(spark, JOB);
    Instant started = Instant.now();

    Dataset<Row> households = silver(ConformPeriod.HOUSEHOLDS).select("id_rt", "kode_provinsi", "kode_kabkota",
        "kode_kecamatan", "kode_desa", "tanggal_update_terakhir", "id_operator_terakhir");
    Dataset<Row> members = silver(ConformPeriod.MEMBERS);
    Dataset<Row> ranking = spark.read().format("delta").load(lakehouse.table(Layer.GOLD, RankPeriod.TABLE))
        .where(col("periode").equalTo(period.toString()));
    Dataset<Row> operators = spark.read().format("delta").load(lakehouse.table(Layer.BRONZE, RawExport.OPERATOR.folder()))
        .where(col("periode").equalTo(period.toString()));
    Dataset<Row> selected = PrelistSelection.select(new PrelistSelection.Inputs(households,
        members.select("id_rt", "nik_valid", "status_padan", "meninggal"), ranking, operators, period.referenceDate()), settings);
    Dataset<Row> prelist = FieldAssignment.assign(selected,
            new FieldAssignment.Sizes(settings.householdsPerEnumerator(), settings.enumeratorsPerSupervisor()))
        .select(lit(period.toString()).as("periode"), col("id_rt"), col("kode_provinsi"), col("kode_kabkota"),
            col("kode_kecamatan"), col("kode_desa"), col("desil_nasional"), col("alasan"), col("id_pencacah"),
            col("urutan_kunjungan"), col("id_pengawas"), col("id_koordinator"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      CuratedTable table = CuratedTable.at(spark, lakehouse.table(Layer.GOLD, TABLE),
          Set.of("periode", "id_rt", "kode_kabkota", "kode_kecamatan", "kode_desa", "alasan", "id_pencacah",
              "urutan_kunjungan", "id_pengawas", "id_koordinator"),
          Map.of("alasan_ada", "size(alasan) > 0", "urutan_positif", "urutan_kunjungan >= 1"), "periode")
          .clusteredBy("kode_kabkota", "kode_kecamatan");
      long rows = steps.step("select and assign households, write gold." + TABLE, () -> {
        long written = table.replacePeriod(prelist, period.toString());
        return new Progress.Counted<>(written, written);
      }).value();

      Dataset<Row> workload = workload(prelist);
      CuratedTable workloadTable = CuratedTable.at(spark, lakehouse.table(Layer.GOLD, WORKLOAD_TABLE),
          Set.of("periode", "kode_provinsi", "kode_kabkota", "rumah_tangga", "pencacah", "pengawas", "koordinator"),
          Map.of("petugas_cukup", "rumah_tangga = 0 OR (pencacah >= 1 AND pengawas >= 1 AND koordinator >= 1)"), "periode");
      long workloadRows = steps.step("write gold." + WORKLOAD_TABLE, () -> {
        long written = workloadTable.replacePeriod(workload, period.toString());
        return new Progress.Counted<>(written, written);
      }).value();

      // One row per role and a handful of sums: the national figures for the summary.
      Row officers = prelist.agg(countDistinct("id_pencacah"), countDistinct("id_pengawas"), countDistinct("id_koordinator"))
          .first();
      Row perEnumerator = prelist.groupBy("id_pencacah").agg(count(lit(1)).as("n"))
          .agg(min("n"), avg("n"), max("n")).first();
      Map<String, Long> byReason = new LinkedHashMap<>();
      PrelistReason.codes().forEach(code -> byReason.put(code, 0L));
      prelist.select(explode(col("alasan")).as("alasan")).groupBy("alasan").count().collectAsList()
          .forEach(r -> byReason.put(r.getString(0), r.getLong(1)));

      String exportFolder = "";
      long exportFiles = 0;
      if (settings.exports()) {
        exportFolder = lakehouse.exportFolder(EXPORT, period);
        String folder = exportFolder;
        exportFiles = steps.step("write the field files, one per kabupaten/kota", () -> {
          long files = writeExports(fieldRows(prelist, members), folder);
          return new Progress.Counted<>(files, rows);
        }).value();
        steps.info("field files (names and NIKs: program-grade personal data) in %s", exportFolder);
      }
      RunLog.append(spark, lakehouse, UUID.randomUUID().toString(), JOB, period, "", List.of(
          new RunLog.Entry("gold." + TABLE, rows, rows, 0),
          new RunLog.Entry("gold." + WORKLOAD_TABLE, workloadRows, workloadRows, 0)), RunLog.OK, started);
      return new Result(period, rows, byReason, officers.getLong(0), officers.getLong(1), officers.getLong(2),
          perEnumerator.isNullAt(0) ? 0 : perEnumerator.getLong(0), perEnumerator.isNullAt(1) ? 0 : perEnumerator.getDouble(1),
          perEnumerator.isNullAt(2) ? 0 : perEnumerator.getLong(2), exportFolder, exportFiles);
    } finally {
      prelist.unpersist();
    }
  }

  /** One row per kabupaten/kota of ref.wilayah: households, officers by role, households per enumerator. */
  private Dataset<Row> workload(Dataset<Row> prelist) {
    Dataset<Row> perEnumerator = prelist.groupBy("kode_kabkota", "id_pencacah")
        .agg(count(lit(1)).as("rt"), first("id_pengawas").as("id_pengawas"), first("id_koordinator").as("id_koordinator"));
    Dataset<Row> perKabkota = perEnumerator.groupBy("kode_kabkota").agg(
        sum("rt").as("rumah_tangga"), count(lit(1)).as("pencacah"), countDistinct("id_pengawas").as("pengawas"),
        countDistinct("id_koordinator").as("koordinator"), min("rt").as("rt_per_pencacah_min"),
        round(avg("rt"), 1).as("rt_per_pencacah_rata"), max("rt").as("rt_per_pencacah_maks"));
    Dataset<Row> kabkota = spark.read().format("delta").load(lakehouse.table(Layer.REF, "wilayah"))
        .where(col("tingkat").equalTo("kabkota"))
        .select(org.apache.spark.sql.functions.substring(col("kode"), 1, 2).as("kode_provinsi"), col("kode").as("kode_kabkota"),
            col("nama").as("nama_kabkota"));
    return kabkota.join(perKabkota, "kode_kabkota", "left").select(
        lit(period.toString()).as("periode"), col("kode_provinsi"), col("kode_kabkota"), col("nama_kabkota"),
        coalesce(col("rumah_tangga"), lit(0L)).as("rumah_tangga"), coalesce(col("pencacah"), lit(0L)).as("pencacah"),
        coalesce(col("pengawas"), lit(0L)).as("pengawas"), coalesce(col("koordinator"), lit(0L)).as("koordinator"),
        col("rt_per_pencacah_min"), col("rt_per_pencacah_rata"), col("rt_per_pencacah_maks"));
  }

  /** The field apps' rows: the prelist with the head of household's name and NIK and the living members. */
  private static Dataset<Row> fieldRows(Dataset<Row> prelist, Dataset<Row> members) {
    Dataset<Row> perHousehold = members.groupBy("id_rt").agg(
        first(org.apache.spark.sql.functions.when(col("hubungan_krt").equalTo("KEPALA"), col("nama")), true).as("nama_kepala"),
        first(org.apache.spark.sql.functions.when(col("hubungan_krt").equalTo("KEPALA"), col("nik")), true).as("nik_kepala"),
        sum(org.apache.spark.sql.functions.when(id.dtks.lakehouse.reference.ProgramConditions.alive(), 1).otherwise(0))
            .as("anggota_hidup"));
    return prelist.join(perHousehold, "id_rt", "left").select(col("kode_kabkota"), col("kode_kecamatan"), col("kode_desa"),
        col("id_koordinator"), col("id_pengawas"), col("id_pencacah"), col("urutan_kunjungan"), col("id_rt"),
        col("nama_kepala"), col("nik_kepala"), col("anggota_hidup"), col("desil_nasional"),
        org.apache.spark.sql.functions.array_join(col("alasan"), ";").as("alasan"));
  }

  /**
   * Writes {@code folder/<kode_kabkota>.csv}, one file per kabupaten/kota with work, in visit order.
   * Spark writes them beside the folder; the old folder is then replaced by the new one, so a reader
   * sees either the last run's files or this run's. Returns the files written.
   */
  private long writeExports(Dataset<Row> rows, String folder) {
    String staging = folder + ".tmp-" + UUID.randomUUID();
    rows.repartition(col("kode_kabkota"))
        .sortWithinPartitions("kode_kabkota", "kode_kecamatan", "id_pencacah", "urutan_kunjungan")
        .write().partitionBy("kode_kabkota").option("header", true).csv(staging + "/spark");
    try {
      Path stagingPath = new Path(staging);
      FileSystem fs = stagingPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long files = 0;
      for (FileStatus partition : fs.listStatus(new Path(staging, "spark"), p -> p.getName().startsWith("kode_kabkota="))) {
        String kabkota = partition.getPath().getName().substring("kode_kabkota=".length());
        FileStatus[] parts = fs.listStatus(partition.getPath(), p -> p.getName().startsWith("part-"));
        if (parts.length != 1) {
          throw new IllegalStateException("Expected one file for kabupaten/kota " + kabkota + " in " + partition.getPath()
              + ", found " + parts.length);
        }
        if (!fs.rename(parts[0].getPath(), new Path(stagingPath, kabkota + ".csv"))) {
          throw new IOException("Cannot move " + parts[0].getPath() + " to " + new Path(stagingPath, kabkota + ".csv"));
        }
        files++;
      }
      fs.delete(new Path(staging, "spark"), true);
      Path finalPath = new Path(folder);
      fs.delete(finalPath, true);
      fs.mkdirs(finalPath.getParent());
      if (!fs.rename(stagingPath, finalPath)) {
        throw new IOException("Cannot move " + stagingPath + " to " + finalPath);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the prelist's field files to " + folder + ": " + e.getMessage(), e);
    }
  }

  private Dataset<Row> silver(String table) {
    return spark.read().format("delta").load(lakehouse.table(Layer.SILVER, table))
        .where(col("status_data").equalTo(ConformPeriod.ACTIVE));
  }
}
