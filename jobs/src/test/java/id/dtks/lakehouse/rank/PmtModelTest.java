package id.dtks.lakehouse.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import id.dtks.lakehouse.rank.PmtFeatures.Feature;
import id.dtks.lakehouse.rank.PmtModel.Terms;
import id.dtks.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PmtModelTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void theBundledDefaultLoadsWithACoefficientForEveryNonBaselineCategory() {
    PmtModel model = PmtModel.bundled("pmt-ilustratif@1").orElseThrow();

    assertThat(model.id()).isEqualTo("pmt-ilustratif@1");
    assertThat(model.intercept("32")).isEqualTo(13.55);
    assertThat(model.coefficient("32", Feature.PUNYA_MOBIL, "YA")).isEqualTo(0.35);
    assertThat(model.coefficient("32", Feature.UKURAN_RUMAH_TANGGA, "7_LEBIH")).isEqualTo(-0.65);
    for (Feature feature : Feature.values()) {
      feature.categories().stream().skip(1).filter(c -> !c.equals("SD") && !c.equals("TIDAK_DIKETAHUI"))
          .forEach(category -> assertThat(model.national().coefficient(feature, category)).as("%s %s", feature, category)
              .isPresent());
    }
    assertThat(PmtModel.bundled("pmt-ilustratif@2")).isEmpty();
  }

  @Test
  void scoresAreTheInterceptPlusTheCoefficientOfEachCategoryWithProvinceAndDistrictTerms() {
    Map<Feature, Map<String, Double>> national = new EnumMap<>(Feature.class);
    national.put(Feature.JENIS_LANTAI, Map.of("KERAMIK", 0.2));
    national.put(Feature.PUNYA_MOBIL, Map.of("YA", 0.5));
    Map<Feature, Map<String, Double>> jakarta = new EnumMap<>(Feature.class);
    jakarta.put(Feature.PUNYA_MOBIL, Map.of("YA", 0.3));
    PmtModel model = new PmtModel("uji", "1", "", new Terms(OptionalDouble.of(13.0), national),
        Map.of("31", new Terms(OptionalDouble.of(13.4), jakarta)), Map.of("32.01", -0.1));

    List<Row> rows = new ArrayList<>();
    rows.add(features(1, "32", "32.01", "KERAMIK", "YA"));  // 13.0 + 0.2 + 0.5 - 0.1
    rows.add(features(2, "32", "32.02", "TANAH", "TIDAK")); // 13.0
    rows.add(features(3, "31", "31.71", "KERAMIK", "YA"));  // 13.4 + 0.2 (national) + 0.3 (Jakarta's)
    Map<Long, Double> scores = new java.util.HashMap<>();
    model.score(spark.createDataFrame(rows, featureSchema()), "skor").select("id_rt", "skor").collectAsList()
        .forEach(r -> scores.put(r.getLong(0), r.getDouble(1)));

    assertThat(scores.get(1L)).isCloseTo(13.6, within(1e-12));
    assertThat(scores.get(2L)).isCloseTo(13.0, within(1e-12));
    assertThat(scores.get(3L)).isCloseTo(13.9, within(1e-12));
  }

  @Test
  void aModelSurvivesTheRoundTripThroughItsTableRows() {
    PmtModel model = PmtModel.bundled("pmt-ilustratif@1").orElseThrow();
    Map<Feature, Map<String, Double>> terms = new EnumMap<>(Feature.class);
    terms.put(Feature.JENIS_ATAP, Map.of("BETON", 0.2));
    PmtModel withRegions = new PmtModel(model.name(), "2", model.description(), model.national(),
        Map.of("94", new Terms(OptionalDouble.empty(), terms)), Map.of("94.01", 0.05));

    List<Row> rows = spark.createDataFrame(withRegions.toRows(), PmtModel.TABLE_SCHEMA).collectAsList();

    assertThat(PmtModel.fromRows(rows)).isEqualTo(withRegions);
  }

  @Test
  void aBadModelFailsNamingWhatIsWrong() {
    assertThatThrownBy(() -> PmtModel.fromConfig(ConfigFactory.parseString(
        "name = x, version = 1, intercept = 13, coefficients { jenis_lantai { KAYU = 0.1 } }"), "model.conf"))
        .hasMessage("Invalid PMT model x@1: jenis_lantai has no category 'KAYU'; it has "
            + "[TANAH, BAMBU_KAYU_RENDAH, SEMEN_BATA, KERAMIK, MARMER_GRANIT]");
    assertThatThrownBy(() -> PmtModel.fromConfig(ConfigFactory.parseString(
        "name = x, version = 1, intercept = 13, coefficients { jenis_pagar { BESI = 0.1 } }"), "model.conf"))
        .hasMessageStartingWith("Invalid PMT model in model.conf: unknown feature 'jenis_pagar'; features are [jenis_lantai,");
    assertThatThrownBy(() -> PmtModel.fromConfig(ConfigFactory.parseString("name = x, version = 1"), "model.conf"))
        .hasMessage("Invalid PMT model x@1: the national intercept is missing");
    assertThatThrownBy(() -> PmtModel.fromConfig(ConfigFactory.parseString(
        "name = x, version = 1, intercept = 13, kabkota-adjustments { \"3201\" = 0.1 }"), "model.conf"))
        .hasMessage("Invalid PMT model x@1: '3201' is not a kabupaten/kota code like 32.01");
  }

  @Test
  void normalEquationsRecoverTheCoefficientsOfNoiseFreeData() {
    // Households drawn at random; log consumption exactly intercept + coefficients: the fit must give them back.
    PmtModel truth = PmtModel.bundled("pmt-ilustratif@1").orElseThrow();
    NormalEquations equations = new NormalEquations();
    SplittableRandom random = new SplittableRandom(1);
    Feature[] features = Feature.values();
    for (int h = 0; h < 20_000; h++) {
      String[] categories = new String[features.length];
      double y = truth.intercept("11");
      for (int f = 0; f < features.length; f++) {
        List<String> options = features[f].categories();
        categories[f] = options.get(random.nextInt(options.size()));
        y += truth.coefficient("11", features[f], categories[f]);
      }
      equations.add(NormalEquations.activeColumns(categories), y, 1 + random.nextInt(5));
    }

    double[] fitted = equations.solve(1e-9, new double[NormalEquations.COLUMNS.size()]);

    // The default model gives TIDAK_DIKETAHUI (the baseline of the head's features) no coefficient but
    // TIDAK_SEKOLAH one: the fit measures everything against the baseline, so compare differences.
    assertThat(equations.rSquared(fitted)).isCloseTo(1.0, within(1e-9));
    for (int i = 1; i < fitted.length; i++) {
      NormalEquations.Term term = NormalEquations.COLUMNS.get(i);
      double baseline = truth.coefficient("11", term.feature(), term.feature().categories().get(0));
      assertThat(fitted[i]).as("%s", term).isCloseTo(truth.coefficient("11", term.feature(), term.category()) - baseline,
          within(1e-6));
    }
  }

  private static StructType featureSchema() {
    StringBuilder ddl = new StringBuilder("id_rt BIGINT, kode_provinsi STRING, kode_kabkota STRING");
    for (Feature feature : Feature.values()) {
      ddl.append(", ").append(feature.column()).append(" STRING");
    }
    return StructType.fromDDL(ddl.toString());
  }

  /** A household at every feature's baseline except the floor and the car. */
  private static Row features(long id, String province, String kabkota, String floor, String car) {
    List<Object> values = new ArrayList<>(List.of(id, province, kabkota));
    for (Feature feature : Feature.values()) {
      values.add(switch (feature) {
        case JENIS_LANTAI -> floor;
        case PUNYA_MOBIL -> car;
        default -> feature.categories().get(0);
      });
    }
    return RowFactory.create(values.toArray());
  }
}
