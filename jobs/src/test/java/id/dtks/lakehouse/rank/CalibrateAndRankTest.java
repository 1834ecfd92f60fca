package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.generate.GenerateRawExports;
import id.dtks.lakehouse.ingest.IngestPeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Calibrate and rank on a generated, ingested and conformed period of 5,000 households. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(7)
class CalibrateAndRankTest {
  private static final Period NOVEMBER = Period.parse("2026-11");
  private static SparkSession spark;
  private static Lakehouse lakehouse;
  private static DtksSettings settings;
  private static CalibratePeriod.Result calibration;

  @BeforeAll
  static void conformNovember() {
    spark = TestSpark.session();
    lakehouse = TestLakehouse.freshWithReference("calibrate-rank");
    settings = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings();
    // A large survey share: 5,000 households at 0.5% would leave 25 surveyed households.
    GenerateRawExports.into(spark, lakehouse).settings(settings.generator().withHouseholds(5_000).withSurveyShare(0.4))
        .period(NOVEMBER).partitions(2).execute();
    IngestPeriod.into(spark, lakehouse).period(NOVEMBER).execute();
    ConformPeriod.into(spark, lakehouse).period(NOVEMBER).execute();
  }

  @Test
  @Order(1)
  void calibrationFitsTheSurveyAndJudgesItOnHouseholdsItDidNotSee() {
    PmtModel reference = new ModelTable(spark, lakehouse).resolve("pmt-ilustratif@1");
    calibration = CalibratePeriod.in(spark, lakehouse).period(NOVEMBER).settings(settings.calibration())
        .comparedWith(reference).execute();

    CalibratePeriod.Fit fit = calibration.national("pmt-kalibrasi@2026-11");
    long surveyed = table(Layer.BRONZE, "survei_konsumsi").count();
    assertThat(fit.trainingHouseholds() + fit.holdoutHouseholds()).isBetween(surveyed * 9 / 10, surveyed);
    assertThat((double) fit.holdoutHouseholds() / (fit.trainingHouseholds() + fit.holdoutHouseholds())).isBetween(0.15, 0.25);
    // The proxies are noisy signals of the generator's hidden consumption: a real fit, not a perfect one.
    assertThat(fit.trainingRSquared()).isBetween(0.6, 0.99);
    assertThat(fit.holdoutRSquared()).isBetween(0.5, fit.trainingRSquared());
    assertThat(fit.inclusionError()).isBetween(0.02, 0.35);
    assertThat(fit.exclusionError()).isBetween(0.02, 0.35);
    // The default's intercept is not fitted to this data: far worse R², targeting of the same order.
    assertThat(calibration.national("pmt-ilustratif@1").holdoutRSquared()).isLessThan(fit.holdoutRSquared());

    assertThat(calibration.model().provinces()).hasSizeGreaterThan(30);
    Dataset<Row> stored = table(Layer.GOLD, PmtModel.TABLE).where(col("nama_model").equalTo("pmt-kalibrasi"));
    assertThat(PmtModel.fromRows(stored.collectAsList())).isEqualTo(calibration.model());
    assertThat(table(Layer.GOLD, CalibratePeriod.EVALUATION_TABLE).where(col("cakupan").equalTo("NASIONAL"))
        .select("model").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("pmt-kalibrasi@2026-11", "pmt-ilustratif@1");
  }

  @Test
  @Order(2)
  void rankingEqualsABruteForceRankingOfTheScoresItWrote() {
    RankPeriod.Result result = rank(calibration.model().id(), OptionalLong.empty());

    Dataset<Row> rankable = RankPeriod.rankableHouseholds(spark, lakehouse);
    List<Row> rows = ranked().collectAsList();
    assertThat(rows).hasSize((int) rankable.count());
    assertThat(result.households()).isEqualTo(rows.size());
    assertThat(rows).allSatisfy(row -> assertThat(row.<String>getAs("model")).isEqualTo("pmt-kalibrasi@2026-11"));

    Map<Long, Integer> national = bruteForce(rows, r -> "", 100);
    Map<Long, Integer> desil = bruteForce(rows, r -> "", 10);
    Map<Long, Integer> province = bruteForce(rows, r -> r.getAs("kode_provinsi"), 100);
    Map<Long, Integer> kabkota = bruteForce(rows, r -> r.getAs("kode_kabkota"), 100);
    assertThat(rows).allSatisfy(row -> {
      long id = row.getAs("id_rt");
      assertThat(List.of(row.<Integer>getAs("persentil_nasional"), row.<Integer>getAs("desil_nasional"),
          row.<Integer>getAs("persentil_provinsi"), row.<Integer>getAs("persentil_kabkota"))).as("household %d", id)
          .containsExactly(national.get(id), desil.get(id), province.get(id), kabkota.get(id));
    });
    long people = rows.stream().mapToLong(r -> r.<Integer>getAs("jumlah_anggota")).sum();
    assertThat(result.referencePopulation()).isEqualTo(people);
    assertThat(result.desils()).hasSize(10).allSatisfy(d -> assertThat((double) d.people()).isBetween(people / 10.0 - 30, people / 10.0 + 30));
  }

  @Test
  @Order(3)
  void rankingAgainGivesTheSameRowsAndAPartialRegistryRanksAgainstTheNation() {
    List<Row> before = ranked().collectAsList();

    rank(calibration.model().id(), OptionalLong.empty());
    assertThat(ranked().collectAsList()).containsExactlyInAnyOrderElementsOf(before);

    long people = before.stream().mapToLong(r -> r.<Integer>getAs("jumlah_anggota")).sum();
    rank(calibration.model().id(), OptionalLong.of(people * 5 / 2));
    assertThat(ranked().selectExpr("max(desil_nasional)").first().getInt(0)).isEqualTo(4);
    assertThat(ranked().count()).isEqualTo(before.size());
  }

  @Test
  @Order(4)
  void anUnknownModelOrAPeriodSilverDoesNotHoldFailsClearly() {
    assertThatThrownBy(() -> rank("pmt-kalibrasi@2030-01", OptionalLong.empty()))
        .hasMessageStartingWith("Cannot resolve PMT model 'pmt-kalibrasi@2030-01': it is neither in ")
        .hasMessageContaining("(models there: pmt-ilustratif@1, pmt-kalibrasi@2026-11)");
    assertThatThrownBy(() -> RankPeriod.in(spark, lakehouse).period(Period.parse("2026-12")).settings(settings.rank()).execute())
        .hasMessage("Cannot rank period 2026-12: silver holds the registry as of period 2026-11 (the latest conformed period), "
            + "not 2026-12. Run 'dtks ingest' and 'dtks conform' for 2026-12 first");
  }

  private static RankPeriod.Result rank(String model, OptionalLong population) {
    DtksSettings.RankSettings rank = new DtksSettings.RankSettings(model, population, 256);
    return RankPeriod.in(spark, lakehouse).period(NOVEMBER).settings(rank).execute();
  }

  private static Dataset<Row> ranked() {
    return table(Layer.GOLD, RankPeriod.TABLE).where(col("periode").equalTo(NOVEMBER.toString()));
  }

  private static Dataset<Row> table(Layer layer, String name) {
    return spark.read().format("delta").load(lakehouse.table(layer, name));
  }

  /** ceil(parts * cum / N) per group, N the group's people, by sorting in the test. */
  private static Map<Long, Integer> bruteForce(List<Row> rows, java.util.function.Function<Row, String> group, int parts) {
    Map<String, List<Row>> groups = new HashMap<>();
    rows.forEach(r -> groups.computeIfAbsent(group.apply(r), g -> new ArrayList<>()).add(r));
    Map<Long, Integer> ranks = new HashMap<>();
    groups.values().forEach(members -> {
      members.sort(Comparator.<Row>comparingDouble(r -> r.getAs("skor")).thenComparingLong(r -> r.getAs("id_rt")));
      long n = members.stream().mapToLong(r -> r.<Integer>getAs("jumlah_anggota")).sum();
      long cumulative = 0;
      for (Row row : members) {
        cumulative += row.<Integer>getAs("jumlah_anggota");
        ranks.put(row.getAs("id_rt"), (int) Math.max(1, (parts * cumulative + n - 1) / n));
      }
    });
    return ranks;
  }
}
