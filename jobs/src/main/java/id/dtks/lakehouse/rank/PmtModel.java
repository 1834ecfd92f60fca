package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import id.dtks.lakehouse.rank.PmtFeatures.Feature;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A proxy-means-test model as data: predicted log monthly per-capita consumption (rupiah) =
 * intercept + one coefficient per proxy category ({@link PmtFeatures}). Identified by name and
 * version ({@code pmt-ilustratif@1}); the identity is stored with every score.
 *
 * <p>Three scopes. The national terms apply everywhere. A province may carry its own terms: each
 * one it has (intercept or coefficient) replaces the national one in that province, the others
 * stay national (a calibrated model has a full set per province). A kabupaten/kota may carry an
 * intercept adjustment, added on top. A category without a coefficient counts 0, the baseline.
 * jobs/docs/pmt-model.md describes the default model and the table the models live in.
 */
public record PmtModel(String name, String version, String description, Terms national, Map<String, Terms> provinces,
    Map<String, Double> kabkotaAdjustments) {
  public static final String TABLE = "model_pmt";
  public static final String INTERCEPT = "INTERSEP";
  public static final String NATIONAL = "NASIONAL";
  public static final String PROVINCE = "PROVINSI";
  public static final String KABKOTA = "KABKOTA";
  public static final StructType TABLE_SCHEMA = StructType.fromDDL(
      "nama_model STRING NOT NULL, versi STRING NOT NULL, cakupan STRING NOT NULL, kode_wilayah STRING, "
          + "fitur STRING NOT NULL, kategori STRING, koefisien DOUBLE NOT NULL, keterangan STRING");
  private static final String BUNDLED_FOLDER = "dtks/models/";

  /** An intercept (empty: inherited) and coefficients per feature and category. */
  public record Terms(OptionalDouble intercept, Map<Feature, Map<String, Double>> coefficients) {
    public Terms {
      Objects.requireNonNull(intercept, "intercept");
      Map<Feature, Map<String, Double>> copy = new EnumMap<>(Feature.class);
      coefficients.forEach((feature, byCategory) -> copy.put(feature, Map.copyOf(byCategory)));
      coefficients = copy;
    }

    OptionalDouble coefficient(Feature feature, String category) {
      Double value = coefficients.getOrDefault(feature, Map.of()).get(category);
      return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
  }

  public PmtModel {
    if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("Invalid PMT model: name '" + name + "' must be lower-case letters, digits and '-'");
    }
    if (version == null || !version.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException("Invalid PMT model " + name + ": version '" + version + "' must be letters, digits, '.' or '-'");
    }
    if (national.intercept().isEmpty()) {
      throw new IllegalArgumentException("Invalid PMT model " + name + "@" + version + ": the national intercept is missing");
    }
    provinces = Map.copyOf(new TreeMap<>(provinces));
    kabkotaAdjustments = Map.copyOf(new TreeMap<>(kabkotaAdjustments));
    provinces.keySet().forEach(code -> requireCode(name, version, code, "\\d{2}", "a province code like 32"));
    kabkotaAdjustments.keySet().forEach(code -> requireCode(name, version, code, "\\d{2}\\.\\d{2}", "a kabupaten/kota code like 32.01"));
    List<Terms> all = new ArrayList<>(provinces.values());
    all.add(national);
    for (Terms terms : all) {
      terms.coefficients().forEach((feature, byCategory) -> byCategory.keySet().forEach(category -> {
        if (!feature.categories().contains(category)) {
          throw new IllegalArgumentException("Invalid PMT model " + name + "@" + version + ": " + feature.column()
              + " has no category '" + category + "'; it has " + feature.categories());
        }
      }));
    }
  }

  private static void requireCode(String name, String version, String code, String pattern, String expected) {
    if (!code.matches(pattern)) {
      throw new IllegalArgumentException("Invalid PMT model " + name + "@" + version + ": '" + code + "' is not " + expected);
    }
  }

  /** {@code name@version}, as stored with every score. */
  public String id() {
    return name + "@" + version;
  }

  /** The intercept that applies in a province (before any kabupaten/kota adjustment). */
  public double intercept(String province) {
    Terms own = provinces.get(province);
    return own != null && own.intercept().isPresent() ? own.intercept().getAsDouble() : national.intercept().getAsDouble();
  }

  /** The coefficient that applies in a province; 0 for a category neither scope names. */
  public double coefficient(String province, Feature feature, String category) {
    Terms own = provinces.get(province);
    if (own != null) {
      OptionalDouble value = own.coefficient(feature, category);
      if (value.isPresent()) {
        return value.getAsDouble();
      }
    }
    return national.coefficient(feature, category).orElse(0.0);
  }

  /**
   * {@code features} (a frame from {@link PmtFeatures#of}) with the predicted log consumption in
   * {@code scoreColumn}. Province terms come in through a broadcast join of one row per province,
   * so the expression stays one CASE per feature however many provinces carry their own terms.
   */
  public Dataset<Row> score(Dataset<Row> features, String scoreColumn) {
    SparkSession spark = features.sparkSession();
    Dataset<Row> frame = features;
    boolean perProvince = !provinces.isEmpty();
    if (perProvince) {
      frame = frame.join(broadcast(provinceTermsFrame(spark)), col("kode_provinsi").equalTo(col("_pmt_provinsi")), "left");
    }
    Column score = perProvince
        ? coalesce(col("_pmt_" + INTERCEPT), lit(national.intercept().getAsDouble()))
        : lit(national.intercept().getAsDouble());
    for (Feature feature : Feature.values()) {
      Column term = null;
      for (String category : feature.categories()) {
        Column value = perProvince
            ? coalesce(col(termColumn(feature, category)), lit(national.coefficient(feature, category).orElse(0.0)))
            : lit(national.coefficient(feature, category).orElse(0.0));
        Column matches = col(feature.column()).equalTo(category);
        term = term == null ? when(matches, value) : term.when(matches, value);
      }
      // A value outside the categories leaves the score null, and the ranking refuses it by name.
      score = score.plus(term);
    }
    if (!kabkotaAdjustments.isEmpty()) {
      List<Row> rows = kabkotaAdjustments.entrySet().stream().map(e -> RowFactory.create(e.getKey(), e.getValue())).toList();
      Dataset<Row> adjustments = spark.createDataFrame(rows, StructType.fromDDL("_pmt_kabkota STRING, _pmt_penyesuaian DOUBLE"));
      frame = frame.join(broadcast(adjustments), col("kode_kabkota").equalTo(col("_pmt_kabkota")), "left");
      score = score.plus(coalesce(col("_pmt_penyesuaian"), lit(0.0)));
    }
    Dataset<Row> scored = frame.withColumn(scoreColumn, score);
    for (String helper : scored.columns()) {
      if (helper.startsWith("_pmt_")) {
        scored = scored.drop(helper);
      }
    }
    return scored;
  }

  /** One row per province with own terms; a column per term, null where the province inherits it. */
  private Dataset<Row> provinceTermsFrame(SparkSession spark) {
    StringBuilder ddl = new StringBuilder("_pmt_provinsi STRING, `_pmt_" + INTERCEPT + "` DOUBLE");
    for (Feature feature : Feature.values()) {
      for (String category : feature.categories()) {
        ddl.append(", `").append(termColumn(feature, category)).append("` DOUBLE");
      }
    }
    List<Row> rows = new ArrayList<>();
    provinces.forEach((code, terms) -> {
      List<Object> values = new ArrayList<>();
      values.add(code);
      values.add(terms.intercept().isPresent() ? terms.intercept().getAsDouble() : null);
      for (Feature feature : Feature.values()) {
        for (String category : feature.categories()) {
          OptionalDouble value = terms.coefficient(feature, category);
          values.add(value.isPresent() ? value.getAsDouble() : null);
        }
      }
      rows.add(RowFactory.create(values.toArray()));
    });
    return spark.createDataFrame(rows, StructType.fromDDL(ddl.toString()));
  }

  private static String termColumn(Feature feature, String category) {
    return "_pmt_" + feature.column() + "__" + category;
  }

  /** The model as rows of {@code gold.model_pmt} (long format: one row per term). */
  public List<Row> toRows() {
    List<Row> rows = new ArrayList<>();
    addTerms(rows, NATIONAL, null, national);
    provinces.forEach((code, terms) -> addTerms(rows, PROVINCE, code, terms));
    kabkotaAdjustments.forEach((code, value) -> rows.add(RowFactory.create(name, version, KABKOTA, code, INTERCEPT, null, value,
        description)));
    return rows;
  }

  private void addTerms(List<Row> rows, String scope, String region, Terms terms) {
    if (terms.intercept().isPresent()) {
      rows.add(RowFactory.create(name, version, scope, region, INTERCEPT, null, terms.intercept().getAsDouble(), description));
    }
    for (Feature feature : Feature.values()) {
      for (String category : feature.categories()) {
        OptionalDouble value = terms.coefficient(feature, category);
        if (value.isPresent()) {
          rows.add(RowFactory.create(name, version, scope, region, feature.column(), category, value.getAsDouble(), description));
        }
      }
    }
  }

  /** A model from its rows in {@code gold.model_pmt} (columns as {@link #TABLE_SCHEMA}). */
  public static PmtModel fromRows(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("Invalid PMT model: no rows");
    }
    String name = rows.get(0).getAs("nama_model");
    String version = rows.get(0).getAs("versi");
    String description = rows.get(0).getAs("keterangan");
    TermsBuilder national = new TermsBuilder();
    Map<String, TermsBuilder> provinces = new TreeMap<>();
    Map<String, Double> kabkota = new TreeMap<>();
    for (Row row : rows) {
      String scope = row.getAs("cakupan");
      String region = row.getAs("kode_wilayah");
      String feature = row.getAs("fitur");
      String category = row.getAs("kategori");
      double value = row.getAs("koefisien");
      switch (scope) {
        case NATIONAL -> national.add(name, version, feature, category, value);
        case PROVINCE -> provinces.computeIfAbsent(region, r -> new TermsBuilder()).add(name, version, feature, category, value);
        case KABKOTA -> {
          if (!INTERCEPT.equals(feature)) {
            throw new IllegalArgumentException("Invalid PMT model " + name + "@" + version + ": kabupaten/kota " + region
                + " may only adjust the intercept, not " + feature);
          }
          kabkota.put(region, value);
        }
        default -> throw new IllegalArgumentException("Invalid PMT model " + name + "@" + version + ": scope '" + scope
            + "' is not one of " + List.of(NATIONAL, PROVINCE, KABKOTA));
      }
    }
    Map<String, Terms> provinceTerms = new TreeMap<>();
    provinces.forEach((code, builder) -> provinceTerms.put(code, builder.build()));
    return new PmtModel(name, version, description, national.build(), provinceTerms, kabkota);
  }

  /** The models shipped in the jar: {@code dtks/models/<name>@<version>.conf}. */
  public static Optional<PmtModel> bundled(String id) {
    String resource = BUNDLED_FOLDER + id + ".conf";
    InputStream stream = PmtModel.class.getClassLoader().getResourceAsStream(resource);
    if (stream == null) {
      return Optional.empty();
    }
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      return Optional.of(fromConfig(ConfigFactory.parseReader(reader).resolve(), resource));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read the bundled model " + resource, e);
    }
  }

  /**
   * A model written as HOCON: {@code name}, {@code version}, {@code description}, {@code intercept},
   * {@code coefficients { <feature> { <category> = value } }}, optional {@code provinces { "32" {
   * intercept = ..., coefficients {...} } }} and {@code kabkota-adjustments { "32.01" = ... }}.
   */
  public static PmtModel fromConfig(Config config, String origin) {
    try {
      String name = config.getString("name");
      String version = config.getString("version");
      Terms national = terms(config, origin);
      Map<String, Terms> provinces = new TreeMap<>();
      if (config.hasPath("provinces")) {
        for (String code : config.getObject("provinces").keySet()) {
          provinces.put(code, terms(((com.typesafe.config.ConfigObject) config.getObject("provinces").get(code)).toConfig(), origin));
        }
      }
      Map<String, Double> kabkota = new TreeMap<>();
      if (config.hasPath("kabkota-adjustments")) {
        for (Map.Entry<String, ConfigValue> entry : config.getObject("kabkota-adjustments").entrySet()) {
          kabkota.put(entry.getKey(), ((Number) entry.getValue().unwrapped()).doubleValue());
        }
      }
      return new PmtModel(name, version, config.hasPath("description") ? config.getString("description") : "", national,
          provinces, kabkota);
    } catch (ConfigException | ClassCastException e) {
      throw new IllegalArgumentException("Invalid PMT model in " + origin + ": " + e.getMessage(), e);
    }
  }

  private static Terms terms(Config config, String origin) {
    OptionalDouble intercept = config.hasPath("intercept") ? OptionalDouble.of(config.getDouble("intercept")) : OptionalDouble.empty();
    Map<Feature, Map<String, Double>> coefficients = new EnumMap<>(Feature.class);
    if (config.hasPath("coefficients")) {
      Config all = config.getConfig("coefficients");
      for (String featureName : config.getObject("coefficients").keySet()) {
        Feature feature = Feature.named(featureName).orElseThrow(() -> new IllegalArgumentException(
            "Invalid PMT model in " + origin + ": unknown feature '" + featureName + "'; features are "
                + java.util.Arrays.stream(Feature.values()).map(Feature::column).toList()));
        Map<String, Double> byCategory = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> entry : all.getObject(featureName).entrySet()) {
          byCategory.put(entry.getKey(), ((Number) entry.getValue().unwrapped()).doubleValue());
        }
        coefficients.put(feature, byCategory);
      }
    }
    return new Terms(intercept, coefficients);
  }

  /** Collects one scope's rows into terms. */
  private static final class TermsBuilder {
    private OptionalDouble intercept = OptionalDouble.empty();
    private final Map<Feature, Map<String, Double>> coefficients = new EnumMap<>(Feature.class);

    void add(String name, String version, String featureName, String category, double value) {
      if (INTERCEPT.equals(featureName)) {
        intercept = OptionalDouble.of(value);
        return;
      }
      Feature feature = Feature.named(featureName).orElseThrow(() -> new IllegalArgumentException(
          "Invalid PMT model " + name + "@" + version + ": unknown feature '" + featureName + "'"));
      coefficients.computeIfAbsent(feature, f -> new TreeMap<>()).put(category, value);
    }

    Terms build() {
      return new Terms(intercept, coefficients);
    }
  }
}
