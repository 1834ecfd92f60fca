package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import id.dtks.lakehouse.config.DtksSettings.RankSettings;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.CuratedTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Scores every rankable household of silver with a PMT model and ranks them exactly: the national
 * percentile and desil over all 514 kabupaten/kota ({@link PopulationRanking}), and the percentile
 * within the province and within the kabupaten/kota. Writes {@code gold.peringkat_rumah_tangga},
 * one partition per period, replaced when the period is ranked again.
 *
 * <p>Rankable: active in silver ({@code status_data = AKTIF}) and {@code dapat_diperingkat} (not
 * moved, not found, not died out, at least one living member). The size is the living members.
 */
public final class RankPeriod {
  public static final String JOB = "rank";
  public static final String TABLE = "peringkat_rumah_tangga";
  static final String SCORE = "skor";

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Period period;
  private RankSettings settings;
  private Progress progress;

  private RankPeriod(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static RankPeriod in(SparkSession spark, Lakehouse lakehouse) {
    return new RankPeriod(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public RankPeriod period(Period rankedPeriod) {
    this.period = Objects.requireNonNull(rankedPeriod, "period");
    return this;
  }

  public RankPeriod settings(RankSettings rankSettings) {
    this.settings = Objects.requireNonNull(rankSettings, "settings");
    return this;
  }

  public RankPeriod progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /** People and households per national desil. */
  public record Desil(int desil, long households, long people) {}

  /** What was ranked: households, people, N, the model, the table written and the desil counts. */
  public record Result(Period period, String model, long households, long people, long referencePopulation, String table,
      List<Desil> desils, List<PopulationRanking.LevelSummary> levels) implements Progress.RowCount {
    @Override
    public long rows() {
      return households;
    }
  }

  public Result execute() {
    if (period == null || settings == null) {
      throw new IllegalStateException("Cannot rank: the period and the rank settings are required");
    }
    RunLog.requireSilverAt(spark, lakehouse, period, ConformPeriod.JOB, "Cannot rank period " + period);
    Progress steps = progress != null ? progress : new Progress(spark, JOB);
    Instant started = Instant.now();
    PmtModel model = new ModelTable(spark, lakehouse).resolve(settings.model());

    // Scored once and kept: the ranking reads it four times (statistics, histogram, cut bins, labels),
    // and the features join every member to find the heads.
    Dataset<Row> scored = model.score(PmtFeatures.of(rankableHouseholds(spark, lakehouse), activeMembers(spark, lakehouse)), SCORE)
        .select("id_rt", "kode_provinsi", "kode_kabkota", "kode_kecamatan", "kode_desa", "kode_provinsi_bps", "kode_kabkota_bps",
            "jumlah_anggota_hidup", SCORE)
        .persist(StorageLevel.DISK_ONLY());
    try {
      return rank(model, scored, steps, started);
    } finally {
      scored.unpersist();
    }
  }

  private Result rank(PmtModel model, Dataset<Row> scored, Progress steps, Instant started) {
    PopulationRanking.Result ranking = steps.step("histogram and exact cut points (model " + model.id() + ")", () -> {
      PopulationRanking.Result result = PopulationRanking.of(scored).id("id_rt").score(SCORE).weight("jumlah_anggota_hidup")
          .national("persentil_nasional", "desil_nasional", settings.referencePopulation())
          .within("kode_provinsi", "persentil_provinsi")
          .within("kode_kabkota", "persentil_kabkota")
          .cellsPerLevel(settings.histogramCellsPerLevel())
          .execute();
      return new Progress.Counted<>(result, result.levels().get(0).households());
    }).value();
    PopulationRanking.LevelSummary national = ranking.levels().get(0);

    Dataset<Row> rows = ranking.rows().select(
        col("id_rt"), col("kode_provinsi"), col("kode_kabkota"), col("kode_kecamatan"), col("kode_desa"),
        col("kode_provinsi_bps"), col("kode_kabkota_bps"),
        col("jumlah_anggota_hidup").as("jumlah_anggota"), col(SCORE),
        col("persentil_nasional"), col("desil_nasional"), col("persentil_provinsi"), col("persentil_kabkota"),
        lit(model.id()).as("model"), lit(national.population()).as("populasi_acuan"), lit(period.toString()).as("periode"));
    String path = lakehouse.table(Layer.GOLD, TABLE);
    long written = steps.step("write gold." + TABLE, () -> {
      long count = CuratedTable.at(spark, path, Set.of("id_rt", "kode_kabkota", "jumlah_anggota", "skor", "persentil_nasional",
              "desil_nasional", "persentil_provinsi", "persentil_kabkota", "model", "periode"),
          Map.of("desil_nasional_1_10", "desil_nasional BETWEEN 1 AND 10",
              "persentil_1_100", "persentil_nasional BETWEEN 1 AND 100 AND persentil_provinsi BETWEEN 1 AND 100 "
                  + "AND persentil_kabkota BETWEEN 1 AND 100"), "periode")
          .clusteredBy("kode_provinsi", "kode_kabkota")
          .replacePeriod(rows, period.toString());
      return new Progress.Counted<>(count, count);
    }).value();
    if (written != national.households()) {
      throw new IllegalStateException("Cannot rank period " + period + ": ranked " + national.households()
          + " households but wrote " + written);
    }
    List<Desil> desils = desils(path);
    RunLog.append(spark, lakehouse, UUID.randomUUID().toString(), JOB, period, "", List.of(
        new RunLog.Entry("gold." + TABLE, national.households(), written, 0)), RunLog.OK, started);
    return new Result(period, model.id(), national.households(), national.people(), national.population(), path, desils,
        ranking.levels());
  }

  /** Households and people per desil, from the table as written (ten rows). */
  private List<Desil> desils(String path) {
    Map<Integer, Desil> byDesil = new TreeMap<>();
    spark.read().format("delta").load(path).where(col("periode").equalTo(period.toString()))
        .groupBy("desil_nasional").agg(count(lit(1)), sum("jumlah_anggota")).collectAsList()
        .forEach(r -> byDesil.put(r.getInt(0), new Desil(r.getInt(0), r.getLong(1), r.getLong(2))));
    return List.copyOf(byDesil.values());
  }

  /** Silver households that can be ranked: active and {@code dapat_diperingkat}. */
  static Dataset<Row> rankableHouseholds(SparkSession spark, Lakehouse lakehouse) {
    return spark.read().format("delta").load(lakehouse.table(Layer.SILVER, ConformPeriod.HOUSEHOLDS))
        .where(col("status_data").equalTo(ConformPeriod.ACTIVE).and(col("dapat_diperingkat")));
  }

  /** Silver members that are active (the head's education and work come from them). */
  static Dataset<Row> activeMembers(SparkSession spark, Lakehouse lakehouse) {
    return spark.read().format("delta").load(lakehouse.table(Layer.SILVER, ConformPeriod.MEMBERS))
        .where(col("status_data").equalTo(ConformPeriod.ACTIVE));
  }
}
