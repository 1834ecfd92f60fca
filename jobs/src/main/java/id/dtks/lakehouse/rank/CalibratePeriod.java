package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import id.dtks.lakehouse.config.DtksSettings.CalibrationSettings;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.rank.NormalEquations.Term;
import id.dtks.lakehouse.rank.PmtFeatures.Feature;
import id.dtks.lakehouse.rank.PmtModel.Terms;
import id.dtks.lakehouse.spark.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Fits the PMT model on a period's consumption survey: weighted least squares of log per-capita
 * consumption on the proxies, per province, pulled towards the national fit (so that a province
 * with a small sample borrows strength from the nation), from normal equations summed in one pass.
 * A share of the survey households (by a hash of id_rt) is held out; the fit is judged on them: R²
 * and the targeting errors of selecting the poorest 40% of people by the model instead of by their
 * measured consumption. The reference model (the default) is judged on the same households.
 *
 * <p>Writes the model to {@code gold.model_pmt} as {@code <model-name>@<period>} and the judgement
 * to {@code gold.model_pmt_evaluasi}; re-running a period replaces both.
 */
public final class CalibratePeriod {
  public static final String JOB = "calibrate";
  public static final String EVALUATION_TABLE = "model_pmt_evaluasi";
  /** Share of people selected as poor when judging targeting: the historical registry's 40%. */
  static final int TARGET_PERCENTILE = 40;
  static final StructType EVALUATION_SCHEMA = StructType.fromDDL(
      "periode_survei STRING NOT NULL, model STRING NOT NULL, cakupan STRING NOT NULL, kode_wilayah STRING, "
          + "rumah_tangga_latih BIGINT, rumah_tangga_uji BIGINT, r2_latih DOUBLE, r2_uji DOUBLE, "
          + "galat_inklusi_40 DOUBLE, galat_eksklusi_40 DOUBLE");
  private static final String SURVEY = "survei_konsumsi";

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Period period;
  private CalibrationSettings settings;
  private PmtModel reference;
  private Progress progress;

  private CalibratePeriod(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static CalibratePeriod in(SparkSession spark, Lakehouse lakehouse) {
    return new CalibratePeriod(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public CalibratePeriod period(Period surveyPeriod) {
    this.period = Objects.requireNonNull(surveyPeriod, "period");
    return this;
  }

  public CalibratePeriod settings(CalibrationSettings calibration) {
    this.settings = Objects.requireNonNull(calibration, "settings");
    return this;
  }

  /** The model the new one is compared with on the held-out households. */
  public CalibratePeriod comparedWith(PmtModel referenceModel) {
    this.reference = Objects.requireNonNull(referenceModel, "reference");
    return this;
  }

  public CalibratePeriod progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /** How a model did, nationally or in one province. */
  public record Fit(String model, String scope, String region, long trainingHouseholds, long holdoutHouseholds,
      double trainingRSquared, double holdoutRSquared, double inclusionError, double exclusionError) {}

  /** The fitted model and how it and the reference model did. */
  public record Result(PmtModel model, List<Fit> fits) implements Progress.RowCount {
    @Override
    public long rows() {
      return fits.stream().filter(f -> f.scope().equals(PmtModel.NATIONAL) && f.model().equals(model.id()))
          .mapToLong(f -> f.trainingHouseholds() + f.holdoutHouseholds()).sum();
    }

    public Fit national(String modelId) {
      return fits.stream().filter(f -> f.scope().equals(PmtModel.NATIONAL) && f.model().equals(modelId)).findFirst()
          .orElseThrow();
    }
  }

  public Result execute() {
    if (period == null || settings == null || reference == null) {
      throw new IllegalStateException("Cannot calibrate: the period, the settings and the reference model are required");
    }
    String what = "Cannot calibrate period " + period;
    RunLog.requireSilverAt(spark, lakehouse, period, ConformPeriod.JOB, what);
    Progress steps = progress != null ? progress : new Progress(spark, JOB);
    Instant started = Instant.now();

    Dataset<Row> sample = surveySample().cache();
    try {
      long households = sample.count();
      if (households == 0) {
        throw new IllegalStateException(what + ": no surveyed household of bronze." + SURVEY
            + " for the period is a rankable household of silver.rumah_tangga");
      }
      Map<String, NormalEquations> equations = steps.step("sum the normal equations per province",
          () -> new Progress.Counted<>(normalEquations(sample.where(col("_uji").equalTo(false))), households)).value();
      PmtModel model = fit(equations);
      Map<String, Training> training = training(model, equations);
      Dataset<Row> holdout = sample.where(col("_uji"));
      List<Fit> fits = new ArrayList<>(steps.step("judge " + model.id() + " on the held-out households",
          () -> counted(holdoutFits(model, holdout, training))).value());
      fits.addAll(steps.step("judge " + reference.id() + " on the same households",
          () -> counted(holdoutFits(reference, holdout, Map.of()))).value());

      steps.run("write gold." + PmtModel.TABLE + " and gold." + EVALUATION_TABLE, () -> write(model, fits));
      RunLog.append(spark, lakehouse, UUID.randomUUID().toString(), JOB, period, "", List.of(
          new RunLog.Entry("gold." + PmtModel.TABLE, households, households, 0)), RunLog.OK, started);
      return new Result(model, fits);
    } finally {
      sample.unpersist();
    }
  }

  private static Progress.Counted<List<Fit>> counted(List<Fit> fits) {
    return new Progress.Counted<>(fits, fits.stream().filter(f -> f.scope().equals(PmtModel.NATIONAL))
        .mapToLong(Fit::holdoutHouseholds).sum());
  }

  /**
   * Surveyed households that silver can rank, with their features, {@code _y} = log consumption,
   * {@code _w} = survey weight times living members (people represented), {@code _uji} = held out.
   */
  private Dataset<Row> surveySample() {
    Dataset<Row> households = RankPeriod.rankableHouseholds(spark, lakehouse);
    Dataset<Row> members = RankPeriod.activeMembers(spark, lakehouse);
    Dataset<Row> survey = spark.read().format("delta").load(lakehouse.table(Layer.BRONZE, SURVEY))
        .where(col("periode").equalTo(period.toString()))
        .select(col("id_rt").as("_id_rt_survei"), col("pengeluaran_per_kapita"), col("bobot"));
    long buckets = 1_000_000;
    Column heldOut = pmod(xxhash64(col("id_rt"), lit("holdout")), lit(buckets)).lt(Math.round(settings.holdoutShare() * buckets));
    return PmtFeatures.of(households, members)
        .join(survey, col("id_rt").equalTo(col("_id_rt_survei")))
        .withColumn("_y", log(col("pengeluaran_per_kapita")))
        .withColumn("_w", col("bobot").multiply(col("jumlah_anggota_hidup")))
        .withColumn("_uji", heldOut)
        .drop("_id_rt_survei");
  }

  /** One pass: the normal equations of every province's training households; the nation is their sum. */
  private static Map<String, NormalEquations> normalEquations(Dataset<Row> training) {
    List<Column> columns = new ArrayList<>(List.of(col("kode_provinsi"), col("_y"), col("_w")));
    for (Feature feature : Feature.values()) {
      columns.add(col(feature.column()));
    }
    int features = Feature.values().length;
    return training.select(columns.toArray(Column[]::new)).javaRDD()
        .mapPartitionsToPair((Iterator<Row> rows) -> {
          Map<String, NormalEquations> perProvince = new HashMap<>();
          String[] categories = new String[features];
          while (rows.hasNext()) {
            Row row = rows.next();
            for (int f = 0; f < features; f++) {
              categories[f] = row.getString(3 + f);
            }
            perProvince.computeIfAbsent(row.getString(0), p -> new NormalEquations())
                .add(NormalEquations.activeColumns(categories), row.getDouble(1), row.getDouble(2));
          }
          return perProvince.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
        })
        .reduceByKey(NormalEquations::plus)
        .collectAsMap();
  }

  /**
   * National coefficients first (a negligible penalty keeps categories nobody has at 0), then each
   * province pulled towards them with a penalty worth {@code shrinkage-households} average households.
   */
  private PmtModel fit(Map<String, NormalEquations> perProvince) {
    NormalEquations nation = new NormalEquations();
    perProvince.values().forEach(nation::plus);
    double meanWeight = nation.weight() / Math.max(1, nation.households());
    int size = NormalEquations.COLUMNS.size();
    double[] nationalCoefficients = nation.solve(1e-6 * meanWeight, new double[size]);
    Map<String, Terms> provinces = new TreeMap<>();
    for (Map.Entry<String, NormalEquations> province : new TreeMap<>(perProvince).entrySet()) {
      double[] coefficients = province.getValue().solve(settings.shrinkageHouseholds() * meanWeight + 1e-6 * meanWeight,
          nationalCoefficients);
      provinces.put(province.getKey(), terms(coefficients));
    }
    String description = String.format("Kalibrasi pada survei konsumsi periode %s: %,d rumah tangga latih, "
        + "bobot provinsi ke nasional %s rumah tangga", period, nation.households(), settings.shrinkageHouseholds());
    return new PmtModel(settings.modelName(), period.toString(), description, terms(nationalCoefficients), provinces, Map.of());
  }

  private static Terms terms(double[] coefficients) {
    Map<Feature, Map<String, Double>> byFeature = new EnumMap<>(Feature.class);
    for (int i = 1; i < coefficients.length; i++) {
      Term term = NormalEquations.COLUMNS.get(i);
      byFeature.computeIfAbsent(term.feature(), f -> new TreeMap<>()).put(term.category(), coefficients[i]);
    }
    return new Terms(OptionalDouble.of(coefficients[0]), byFeature);
  }

  /** The key of the nation in the per-region training figures. */
  private static final String NATION = "";

  /** Training households and in-sample R², per province and for the nation (key ""), from the normal equations alone. */
  private static Map<String, Training> training(PmtModel model, Map<String, NormalEquations> perProvince) {
    Map<String, Training> training = new TreeMap<>();
    long households = 0;
    double residual = 0;
    for (Map.Entry<String, NormalEquations> province : new TreeMap<>(perProvince).entrySet()) {
      NormalEquations equations = province.getValue();
      double[] coefficients = coefficients(model, province.getKey());
      training.put(province.getKey(), new Training(equations.households(), equations.rSquared(coefficients)));
      households += equations.households();
      residual += equations.residual(coefficients);
    }
    NormalEquations nation = new NormalEquations();
    perProvince.values().forEach(nation::plus);
    double total = nation.totalSumOfSquares();
    training.put(NATION, new Training(households, total > 0 ? 1 - residual / total : Double.NaN));
    return training;
  }

  /** A region's training sample and in-sample R². */
  private record Training(long households, double rSquared) {}

  /** A model's coefficients in a province, in the design's column order. */
  private static double[] coefficients(PmtModel model, String province) {
    double[] coefficients = new double[NormalEquations.COLUMNS.size()];
    coefficients[0] = model.intercept(province);
    for (int i = 1; i < coefficients.length; i++) {
      Term term = NormalEquations.COLUMNS.get(i);
      coefficients[i] = model.coefficient(province, term.feature(), term.category());
    }
    return coefficients;
  }

  /**
   * R² and targeting on the held-out households, per province and nationally: the poorest 40% of
   * people by predicted consumption against the poorest 40% by measured consumption, both ranked
   * nationally over the held-out people.
   */
  private List<Fit> holdoutFits(PmtModel model, Dataset<Row> holdout, Map<String, Training> training) {
    // The same scoring the rank job uses, then the exact ranking on each of the two orders.
    Dataset<Row> scored = model.score(holdout, "_prediksi")
        .withColumn("_orang", greatest(lit(1L), round(col("_w")).cast("long")));
    Dataset<Row> byModel = PopulationRanking.of(scored).id("id_rt").score("_prediksi").weight("_orang")
        .national("_persentil_model", null, OptionalLong.empty()).execute().rows();
    Dataset<Row> byConsumption = PopulationRanking.of(scored.select("id_rt", "_y", "_orang")).id("id_rt").score("_y")
        .weight("_orang").national("_persentil_konsumsi", null, OptionalLong.empty()).execute().rows()
        .select(col("id_rt").as("_id_rt_k"), col("_persentil_konsumsi"));
    Column selected = col("_persentil_model").leq(TARGET_PERCENTILE);
    Column poor = col("_persentil_konsumsi").leq(TARGET_PERCENTILE);
    Column w = col("_w");
    Column error = col("_y").minus(col("_prediksi"));
    List<Row> sums = byModel.join(byConsumption, col("id_rt").equalTo(col("_id_rt_k")))
        .groupBy(col("kode_provinsi"))
        .agg(org.apache.spark.sql.functions.count(lit(1)), sum(w), sum(w.multiply(col("_y"))),
            sum(w.multiply(col("_y")).multiply(col("_y"))), sum(w.multiply(error).multiply(error)),
            sum(when(selected, w).otherwise(0)), sum(when(selected.and(org.apache.spark.sql.functions.not(poor)), w).otherwise(0)),
            sum(when(poor, w).otherwise(0)), sum(when(poor.and(org.apache.spark.sql.functions.not(selected)), w).otherwise(0)))
        .collectAsList();
    List<Fit> fits = new ArrayList<>();
    double[] nation = new double[9];
    for (Row row : sums) {
      double[] s = new double[9];
      for (int i = 0; i < 9; i++) {
        s[i] = ((Number) row.get(1 + i)).doubleValue();
        nation[i] += s[i];
      }
      fits.add(holdoutFit(model.id(), PmtModel.PROVINCE, row.getString(0), training.get(row.getString(0)), s));
    }
    fits.add(holdoutFit(model.id(), PmtModel.NATIONAL, null, training.get(NATION), nation));
    return fits;
  }

  /** sums: households, w, wy, wy², w·error², selected, selected not poor, poor, poor not selected. */
  private static Fit holdoutFit(String model, String scope, String region, Training training, double[] s) {
    double total = s[3] - s[2] * s[2] / s[1];
    return new Fit(model, scope, region, training == null ? 0 : training.households(), (long) s[0],
        training == null ? Double.NaN : training.rSquared(), total > 0 ? 1 - s[4] / total : Double.NaN,
        s[5] > 0 ? s[6] / s[5] : Double.NaN, s[7] > 0 ? s[8] / s[7] : Double.NaN);
  }

  private void write(PmtModel model, List<Fit> fits) {
    new ModelTable(spark, lakehouse).save(model);
    List<Row> rows = fits.stream().map(f -> RowFactory.create(period.toString(), f.model(), f.scope(), f.region(),
        f.trainingHouseholds(), f.holdoutHouseholds(), nullIfNaN(f.trainingRSquared()), nullIfNaN(f.holdoutRSquared()),
        nullIfNaN(f.inclusionError()), nullIfNaN(f.exclusionError()))).toList();
    spark.createDataFrame(rows, EVALUATION_SCHEMA).write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", "periode_survei = '" + period + "'").save(lakehouse.table(Layer.GOLD, EVALUATION_TABLE));
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
