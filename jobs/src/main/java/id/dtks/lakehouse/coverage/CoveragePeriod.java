package id.dtks.lakehouse.coverage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.config.DtksSettings.CoverageSettings;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.CuratedTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code dtks coverage}: the coverage and quality statistics of a period ({@link CoverageStatistics})
 * written to {@code gold.cakupan_wilayah} and {@code gold.cakupan_program}, one partition per period
 * replaced on a re-run, and exported as CSV and JSON for dashboard tools.
 *
 * <p>Reads silver (the registry as of the period: the latest conformed one), the period's ranking, and
 * the period's program recipients and operator accounts from bronze. Fails before writing when a
 * household lies in no kabupaten/kota of the 514, or when the ranking does not match silver
 * (ranked households that silver no longer holds as active: rank the period again).
 */
public final class CoveragePeriod {
  public static final String JOB = "coverage";
  public static final String REGIONS_TABLE = "cakupan_wilayah";
  public static final String PROGRAMS_TABLE = "cakupan_program";
  /** The export folder name below {@code <lakehouse>/export/}. */
  public static final String EXPORT = "cakupan";

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Period period;
  private CoverageSettings settings;
  private Progress progress;

  private CoveragePeriod(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static CoveragePeriod in(SparkSession spark, Lakehouse lakehouse) {
    return new CoveragePeriod(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public CoveragePeriod period(Period computedPeriod) {
    this.period = Objects.requireNonNull(computedPeriod, "period");
    return this;
  }

  public CoveragePeriod settings(CoverageSettings coverageSettings) {
    this.settings = Objects.requireNonNull(coverageSettings, "settings");
    return this;
  }

  public CoveragePeriod progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /**
   * What was written: the tables' rows for the period (a few hundred: one per region, and per program),
   * read back from the tables, the export files and the dashboard page (none when exports are off).
   */
  public record Result(Period period, List<Row> regions, List<Row> programs, List<String> exports,
      Optional<String> dashboard, String regionsTable, String programsTable) implements Progress.RowCount {
    @Override
    public long rows() {
      return regions.size() + programs.size();
    }

    /** The nation's row of {@code cakupan_wilayah}. */
    public Row nation() {
      return regions.stream().filter(r -> CoverageDictionary.NATIONAL.equals(r.getAs("tingkat"))).findFirst().orElseThrow();
    }
  }

  public Result execute() {
    if (period == null || settings == null) {
      throw new IllegalStateException("Cannot compute coverage: the period and the coverage settings are required");
    }
    String what = "Cannot compute coverage for period " + period;
    RunLog.requireSilverAt(spark, lakehouse, period, ConformPeriod.JOB, what);
    RunLog.requireFinished(spark, lakehouse, RankPeriod.JOB, period, what);
    Progress steps = progress != null ? progress : new Progress(spark, JOB);
    Instant started = Instant.now();

    CoverageStatistics.Inputs inputs = inputs();
    CoverageStatistics.KabkotaSums sums = CoverageStatistics.sums(inputs);
    // One row per region (and program): cached, since both tables and the checks read them.
    List<Dataset<Row>> cached = List.of(sums.households().persist(StorageLevel.MEMORY_AND_DISK()),
        sums.recipients().persist(StorageLevel.MEMORY_AND_DISK()), sums.operators().persist(StorageLevel.MEMORY_AND_DISK()));
    try {
      long households = steps.step("sum households, members, desil and programs per kabupaten/kota", () -> {
        long counted = requireConsistent(inputs, sums);
        return new Progress.Counted<>(counted, counted);
      }).value();

      String regionsPath = lakehouse.table(Layer.GOLD, REGIONS_TABLE);
      String programsPath = lakehouse.table(Layer.GOLD, PROGRAMS_TABLE);
      // Shares are ratios of counts that never exceed their whole, except people over population (a registry may list more).
      Map<String, String> shares = Map.of("porsi_0_1", "(porsi_nik_valid IS NULL OR porsi_nik_valid BETWEEN 0 AND 1) "
          + "AND (tingkat_padan IS NULL OR tingkat_padan BETWEEN 0 AND 1) "
          + "AND (tingkat_pembaruan IS NULL OR tingkat_pembaruan BETWEEN 0 AND 1)");
      CuratedTable regionsTable = CuratedTable.at(spark, regionsPath, Set.of("periode", "tingkat", "jumlah_kabkota"), shares, "periode");
      CuratedTable programsTable = CuratedTable.at(spark, programsPath, Set.of("periode", "tingkat", "program", "satuan"),
          Map.of("porsi_0_1", "(porsi_penerima_salah_sasaran IS NULL OR porsi_penerima_salah_sasaran BETWEEN 0 AND 1) "
              + "AND (porsi_sasaran_tidak_menerima IS NULL OR porsi_sasaran_tidak_menerima BETWEEN 0 AND 1)"), "periode");
      long regionRows = steps.step("write gold." + REGIONS_TABLE, () -> {
        long rows = regionsTable.replacePeriod(CoverageStatistics.regions(inputs, sums, period.toString()), period.toString());
        return new Progress.Counted<>(rows, rows);
      }).value();
      long programRows = steps.step("write gold." + PROGRAMS_TABLE, () -> {
        long rows = programsTable.replacePeriod(CoverageStatistics.programs(inputs, sums, period.toString()), period.toString());
        return new Progress.Counted<>(rows, rows);
      }).value();

      List<Row> regions = ordered(spark.read().format("delta").load(regionsPath).where(col("periode").equalTo(period.toString())),
          CoverageDictionary.REGIONS);
      List<Row> programs = ordered(spark.read().format("delta").load(programsPath).where(col("periode").equalTo(period.toString())),
          CoverageDictionary.PROGRAMS);
      List<String> exports = new ArrayList<>();
      Optional<String> dashboard = Optional.empty();
      if (settings.exports()) {
        String folder = lakehouse.exportFolder(EXPORT, period);
        var hadoop = spark.sparkContext().hadoopConfiguration();
        exports.addAll(CoverageExports.write(hadoop, folder, REGIONS_TABLE, period.toString(), CoverageDictionary.REGIONS, regions));
        exports.addAll(CoverageExports.write(hadoop, folder, PROGRAMS_TABLE, period.toString(), CoverageDictionary.PROGRAMS, programs));
        dashboard = Optional.of(CoverageDashboard.write(hadoop, folder, period.toString(), regions, programs));
        steps.info("exports and the dashboard page written to %s", folder);
      }
      RunLog.append(spark, lakehouse, UUID.randomUUID().toString(), JOB, period, "", List.of(
          new RunLog.Entry("gold." + REGIONS_TABLE, households, households, 0),
          new RunLog.Entry("gold." + PROGRAMS_TABLE, programRows, programRows, 0)), RunLog.OK, started);
      if (regions.size() != regionRows) {
        throw new IllegalStateException(what + ": wrote " + regionRows + " region rows but read back " + regions.size());
      }
      return new Result(period, regions, programs, List.copyOf(exports), dashboard, regionsPath, programsPath);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  private CoverageStatistics.Inputs inputs() {
    Dataset<Row> wilayah = ref("wilayah");
    Dataset<Row> provinces = wilayah.where(col("tingkat").equalTo("provinsi"))
        .select(col("kode").as("kode_provinsi"), col("nama").as("nama_provinsi"));
    Dataset<Row> regions = wilayah.where(col("tingkat").equalTo("kabkota"))
        .select(substring(col("kode"), 1, 2).as("kode_provinsi"), col("kode").as("kode_kabkota"), col("nama").as("nama_kabkota"))
        .join(provinces, "kode_provinsi")
        .select("kode_provinsi", "nama_provinsi", "kode_kabkota", "nama_kabkota");
    Dataset<Row> population = ref("penduduk_kabkota")
        .select(col("kode_kabkota_2020").as("kode_kabkota"), col("penduduk_total").as("penduduk"));
    Dataset<Row> households = silver(ConformPeriod.HOUSEHOLDS).select("id_rt", "kode_kabkota", "jumlah_anggota_hidup",
        "jumlah_update", "tanggal_update_terakhir", "id_operator_terakhir", "sumber_penerangan");
    Dataset<Row> members = silver(ConformPeriod.MEMBERS).select("id_art", "id_rt", "nik_valid", "nik_alasan", "jenis_kelamin_cocok",
        "nik_duplikat_dalam_rt", "nik_duplikat_antar_rt", "status_padan", "meninggal", "tanggal_lahir", "status_sekolah", "hamil",
        "disabilitas");
    Dataset<Row> ranking = spark.read().format("delta").load(lakehouse.table(Layer.GOLD, RankPeriod.TABLE))
        .where(col("periode").equalTo(period.toString())).select("id_rt", "desil_nasional");
    return new CoverageStatistics.Inputs(regions, population, households, members, ranking,
        bronze(RawExport.PENERIMA_PROGRAM).select("program", "id_rt", "id_art", "nik"),
        bronze(RawExport.OPERATOR).select("id_operator", "kode_kabkota", "status_akses"),
        period.referenceDate(), settings.verivaliWindowMonths());
  }

  /**
   * Every active household lies in one of the 514 kabupaten/kota, and every ranked household of the
   * period is an active household of silver; returns the households counted.
   */
  private long requireConsistent(CoverageStatistics.Inputs inputs, CoverageStatistics.KabkotaSums sums) {
    Dataset<Row> outside = sums.households().join(inputs.regions().select("kode_kabkota"), new String[] {"kode_kabkota"}, "left_anti");
    if (!outside.isEmpty()) {
      Row example = outside.first();
      throw new IllegalStateException("Cannot compute coverage for period " + period + ": " + example.getAs("rumah_tangga")
          + " household(s) of silver lie in kabupaten/kota '" + example.getAs("kode_kabkota")
          + "', which is none of the 514 in ref.wilayah; conform the period again after fixing the desa codes");
    }
    Row totals = sums.households().agg(sum("rumah_tangga"), sum("rumah_tangga_diperingkat")).first();
    long households = totals.isNullAt(0) ? 0 : totals.getLong(0);
    long rankedInSilver = totals.isNullAt(1) ? 0 : totals.getLong(1);
    long ranked = inputs.ranking().count();
    if (ranked != rankedInSilver) {
      throw new IllegalStateException("Cannot compute coverage for period " + period + ": gold." + RankPeriod.TABLE + " ranks "
          + ranked + " households for the period, of which " + rankedInSilver + " are active in silver; silver changed after "
          + "the ranking. Run 'dtks rank --period " + period + "' again first");
    }
    return households;
  }

  /** The period's rows in reading order: the nation, then each province followed by its kabupaten/kota. */
  private static List<Row> ordered(Dataset<Row> rows, List<CoverageDictionary.Entry> columns) {
    Column levelOrder = when(col("tingkat").equalTo(CoverageDictionary.NATIONAL), 0)
        .when(col("tingkat").equalTo(CoverageDictionary.NO_REGION), 3)
        .when(col("tingkat").equalTo(CoverageDictionary.PROVINCE), 1).otherwise(2);
    List<Column> order = new ArrayList<>(List.of(col("kode_provinsi").asc_nulls_first(), col("kode_kabkota").asc_nulls_first(),
        levelOrder));
    if (CoverageDictionary.names(columns).contains("program")) {
      order.add(0, col("program"));
    }
    // A few hundred rows (one per region and program): sorted and gathered on the driver by design.
    return rows.orderBy(order.toArray(Column[]::new))
        .select(CoverageDictionary.names(columns).stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .collectAsList();
  }

  private Dataset<Row> silver(String table) {
    return spark.read().format("delta").load(lakehouse.table(Layer.SILVER, table))
        .where(col("status_data").equalTo(ConformPeriod.ACTIVE));
  }

  private Dataset<Row> bronze(RawExport export) {
    return spark.read().format("delta").load(lakehouse.table(Layer.BRONZE, export.folder()))
        .where(col("periode").equalTo(period.toString()));
  }

  private Dataset<Row> ref(String table) {
    return spark.read().format("delta").load(lakehouse.table(Layer.REF, table));
  }
}
