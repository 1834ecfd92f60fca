package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.testing.PlanChecks;
import id.dtks.lakehouse.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parallel ranking against a brute-force reference (one sort of every household in the test, a
 * running sum, {@code ceil} in integer arithmetic), on data with many ties and skewed sizes.
 */
class PopulationRankingTest {
  private static final StructType SCHEMA = StructType.fromDDL(
      "id_rt BIGINT, skor DOUBLE, jumlah INT, kode_provinsi STRING, kode_kabkota STRING");
  private static final String[] KABKOTA = {"11.01", "11.71", "32.01", "32.02", "32.73", "94.01"};
  private final SparkSession spark = TestSpark.session();

  @ParameterizedTest(name = "{0} input partitions, {1} histogram cells per level, {2} distinct scores")
  @CsvSource({"1, 2097152, 40", "3, 64, 40", "7, 1, 40", "2, 5000, 1073741824", "4, 300, 1073741824"})
  void everyLevelEqualsTheBruteForceRankingWhateverThePartitioningAndBins(int partitions, int cells, int distinctScores) {
    List<Household> households = randomHouseholds(20_000, 42, distinctScores);
    long registry = households.stream().mapToLong(Household::size).sum();

    List<Row> rows = ranking(frame(households).repartition(partitions), OptionalLong.empty(), cells).rows()
        .select("id_rt", "persentil_nasional", "desil_nasional", "persentil_provinsi", "persentil_kabkota").collectAsList();

    Map<Long, Integer> national = bruteForce(households, h -> "", registry, 100);
    Map<Long, Integer> nationalDesil = bruteForce(households, h -> "", registry, 10);
    Map<Long, Integer> province = bruteForce(households, Household::province, 0, 100);
    Map<Long, Integer> kabkota = bruteForce(households, Household::kabkota, 0, 100);
    assertThat(rows).hasSize(households.size()).allSatisfy(row -> {
      long id = row.getLong(0);
      assertThat(List.of(row.getInt(1), row.getInt(2), row.getInt(3), row.getInt(4))).as("household %d", id)
          .containsExactly(national.get(id), nationalDesil.get(id), province.get(id), kabkota.get(id));
    });
  }

  @Test
  void theColumnarScanOfAParquetInputGivesTheSameRanking(@TempDir Path dir) {
    List<Household> households = randomHouseholds(20_000, 17, 400);
    long registry = households.stream().mapToLong(Household::size).sum();
    // Sizes as SMALLINT and ids as INT read through the same vectors as the registry's own types.
    frame(households).selectExpr("cast(id_rt as int) as id_rt", "skor", "cast(jumlah as smallint) as jumlah", "kode_provinsi",
        "kode_kabkota").repartition(3).write().parquet(dir.resolve("households").toString());
    Dataset<Row> parquet = spark.read().parquet(dir.resolve("households").toString());

    assertThat(new HouseholdKeys(parquet, "id_rt", "skor", "jumlah", List.of("kode_provinsi", "kode_kabkota")).columnar()).isTrue();
    assertThat(new HouseholdKeys(parquet.withColumn("skor", col("skor").plus(1)), "id_rt", "skor", "jumlah", List.of()).columnar())
        .as("a computed score is read row by row").isFalse();
    List<Row> rows = ranking(parquet, OptionalLong.empty(), 5000).rows()
        .select("id_rt", "persentil_nasional", "desil_nasional", "persentil_provinsi", "persentil_kabkota").collectAsList();

    Map<Long, Integer> national = bruteForce(households, h -> "", registry, 100);
    Map<Long, Integer> nationalDesil = bruteForce(households, h -> "", registry, 10);
    Map<Long, Integer> province = bruteForce(households, Household::province, 0, 100);
    Map<Long, Integer> kabkota = bruteForce(households, Household::kabkota, 0, 100);
    assertThat(rows).hasSize(households.size()).allSatisfy(row -> {
      long id = row.getInt(0);
      assertThat(List.of(row.getInt(1), row.getInt(2), row.getInt(3), row.getInt(4))).as("household %d", id)
          .containsExactly(national.get(id), nationalDesil.get(id), province.get(id), kabkota.get(id));
    });
  }

  @Test
  void theColumnarScanRejectsNullsNamingAHousehold(@TempDir Path dir) {
    Row good = RowFactory.create(1L, 1.0, 2, "11", "11.01");
    Dataset<Row> nullSize = parquet(dir.resolve("size"), good, RowFactory.create(2L, 2.0, null, "11", "11.01"));
    Dataset<Row> nullScore = parquet(dir.resolve("score"), good, RowFactory.create(3L, null, 1, "11", "11.01"));
    Dataset<Row> nullRegion = parquet(dir.resolve("region"), good, RowFactory.create(4L, 4.0, 1, "11", null));

    assertThat(new HouseholdKeys(nullSize, "id_rt", "skor", "jumlah", List.of("kode_provinsi", "kode_kabkota")).columnar()).isTrue();
    assertThatThrownBy(() -> ranking(nullSize, OptionalLong.empty(), 64))
        .hasMessage("Cannot rank: 1 household(s) have a jumlah that is null or below 1 (a household ranks with its people), "
            + "for example id_rt 2 (skor 2.0, jumlah null)");
    assertThatThrownBy(() -> ranking(nullScore, OptionalLong.empty(), 64))
        .hasMessage("Cannot rank: 1 household(s) have a null, NaN or infinite skor, for example id_rt 3 (skor null, jumlah 1)");
    assertThatThrownBy(() -> ranking(nullRegion, OptionalLong.empty(), 64))
        .hasMessage("Cannot rank: 1 household(s) have a null region key in [kode_provinsi, kode_kabkota], "
            + "for example id_rt 4 (skor 4.0, jumlah 1)");
  }

  private Dataset<Row> parquet(Path path, Row... rows) {
    spark.createDataFrame(List.of(rows), SCHEMA).coalesce(1).write().parquet(path.toString());
    return spark.read().parquet(path.toString());
  }

  @Test
  void eachDesilHoldsATenthOfThePeopleWithinOneHousehold() {
    List<Household> households = randomHouseholds(30_000, 7);
    long population = households.stream().mapToLong(Household::size).sum();
    int largest = households.stream().mapToInt(Household::size).max().orElseThrow();

    Map<Integer, Long> people = new HashMap<>();
    ranking(frame(households), OptionalLong.empty(), 1000).rows().select("desil_nasional", "jumlah").collectAsList()
        .forEach(row -> people.merge(row.getInt(0), (long) row.getInt(1), Long::sum));

    assertThat(people).containsOnlyKeys(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    people.values().forEach(count -> assertThat((double) count).isBetween(population / 10.0 - largest, population / 10.0 + largest));
  }

  @Test
  void percentilesNeverDecreaseAlongTheNationalOrder() {
    List<Household> households = randomHouseholds(10_000, 11);
    Map<Long, Integer> percentile = ranking(frame(households), OptionalLong.empty(), 64).rows()
        .select("id_rt", "persentil_nasional").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getLong(0), r -> r.getInt(1)));

    List<Household> ordered = new ArrayList<>(households);
    ordered.sort(Comparator.comparingDouble(Household::score).thenComparingLong(Household::id));
    int previous = 1;
    for (Household household : ordered) {
      assertThat(percentile.get(household.id())).as("household %d", household.id()).isGreaterThanOrEqualTo(previous);
      previous = percentile.get(household.id());
    }
    assertThat(previous).isEqualTo(100);
  }

  @Test
  void aPartialRegistryRanksAgainstTheNationalPopulation() {
    List<Household> households = randomHouseholds(2_000, 3);
    long registry = households.stream().mapToLong(Household::size).sum();
    long population = registry * 10 / 4;

    Dataset<Row> ranked = ranking(frame(households), OptionalLong.of(population), 100).rows();

    // The registry holds the poorest 40% of a population 2.5 times its size: desil 1 to 4 only.
    Map<Long, Integer> expected = bruteForce(households, h -> "", population, 10);
    assertThat(ranked.selectExpr("max(desil_nasional)").first().getInt(0)).isEqualTo(4);
    ranked.select("id_rt", "desil_nasional").collectAsList()
        .forEach(row -> assertThat(row.getInt(1)).as("household %d", row.getLong(0)).isEqualTo(expected.get(row.getLong(0))));
  }

  @Test
  void noQueryOfTheRankingMovesEveryHouseholdIntoOnePartition() {
    PopulationRanking.Result result = ranking(frame(randomHouseholds(2_000, 5)), OptionalLong.empty(), 64);

    assertThat(result.queries()).hasSize(2)
        .allSatisfy(query -> assertThat(PlanChecks.singlePartitionExchangesOfRows(query)).isEmpty());
    // The check itself catches the naive national window.
    Dataset<Row> naive = frame(randomHouseholds(100, 5))
        .withColumn("kumulatif", org.apache.spark.sql.functions.sum("jumlah").over(Window.orderBy("skor", "id_rt")));
    assertThat(PlanChecks.singlePartitionExchangesOfRows(naive)).hasSize(1);
  }

  @Test
  void readsItsInputOnceToPlaceTheCutPoints() {
    List<Household> households = randomHouseholds(5_000, 23, 1 << 30);
    LongAccumulator scoresComputed = spark.sparkContext().longAccumulator("scores computed");
    // A score computed as the ranking reads it (a model's score is): each evaluation is counted.
    UserDefinedFunction countedScore = udf((UDF1<Double, Double>) score -> {
      scoresComputed.add(1);
      return score;
    }, DataTypes.DoubleType);
    Dataset<Row> scored = frame(households).repartition(4).withColumn("skor", countedScore.apply(col("skor")));

    PopulationRanking.Result result = ranking(scored, OptionalLong.empty(), 4096);

    assertThat(scoresComputed.value()).as("scores computed by the histogram and cut-point passes")
        .isEqualTo(households.size());
    assertThat(result.rows().count()).isEqualTo(households.size());
  }

  @Test
  void looksAtFewHouseholdsWhenScoresAreSpreadOut() {
    // With 40 distinct scores every bin is a tie and the exact step reads everything; real scores spread out.
    PopulationRanking.Result result = ranking(frame(randomHouseholds(20_000, 9, 1 << 30)), OptionalLong.empty(), 4096);

    PopulationRanking.LevelSummary national = result.levels().get(0);
    assertThat(national.households()).isGreaterThan(19_000);
    assertThat(national.groups()).isEqualTo(1);
    assertThat(national.householdsInCutBins()).isPositive().isLessThan(national.households() / 10);
    assertThat(result.levels().get(2).groups()).isEqualTo(KABKOTA.length);
  }

  @Test
  void rejectsAReferencePopulationBelowThePeopleRanked() {
    List<Household> households = randomHouseholds(100, 1);
    long registry = households.stream().mapToLong(Household::size).sum();

    assertThatThrownBy(() -> ranking(frame(households), OptionalLong.of(registry - 1), 64))
        .hasMessageStartingWith("Cannot rank level national: the reference population " + String.format("%,d", registry - 1)
            + " is below the " + String.format("%,d", registry) + " people ranked");
  }

  @Test
  void rejectsAHouseholdWithoutPeopleOrScoreNamingIt() {
    List<Row> rows = List.of(RowFactory.create(1L, 1.0, 2, "11", "11.01"), RowFactory.create(2L, 2.0, 0, "11", "11.01"),
        RowFactory.create(3L, Double.NaN, 1, "11", "11.01"));

    assertThatThrownBy(() -> ranking(spark.createDataFrame(rows.subList(0, 2), SCHEMA), OptionalLong.empty(), 64))
        .hasMessage("Cannot rank: 1 household(s) have a jumlah that is null or below 1 (a household ranks with its people), "
            + "for example id_rt 2 (skor 2.0, jumlah 0)");
    assertThatThrownBy(() -> ranking(spark.createDataFrame(List.of(rows.get(0), rows.get(2)), SCHEMA), OptionalLong.empty(), 64))
        .hasMessage("Cannot rank: 1 household(s) have a null, NaN or infinite skor, for example id_rt 3 (skor NaN, jumlah 1)");
  }

  @Test
  void anEmptyInputRanksToNoRows() {
    PopulationRanking.Result result = ranking(spark.createDataFrame(List.of(), SCHEMA), OptionalLong.empty(), 64);

    assertThat(result.rows().count()).isZero();
    assertThat(result.rows().columns()).contains("persentil_nasional", "desil_nasional", "persentil_kabkota");
  }

  private PopulationRanking.Result ranking(Dataset<Row> households, OptionalLong population, int cells) {
    return PopulationRanking.of(households).id("id_rt").score("skor").weight("jumlah")
        .national("persentil_nasional", "desil_nasional", population)
        .within("kode_provinsi", "persentil_provinsi")
        .within("kode_kabkota", "persentil_kabkota")
        .cellsPerLevel(cells)
        .execute();
  }

  private record Household(long id, double score, int size, String kabkota) {
    String province() {
      return kabkota.substring(0, 2);
    }
  }

  /**
   * Scores from a few dozen values (many ties), sizes skewed towards 1 to 4 with a long tail, half
   * of the households in one kabupaten/kota.
   */
  private static List<Household> randomHouseholds(int count, long seed) {
    return randomHouseholds(count, seed, 40);
  }

  private static List<Household> randomHouseholds(int count, long seed, int distinctScores) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Long, Household> households = new HashMap<>();
    for (int i = 0; i < count; i++) {
      int size = random.nextDouble() < 0.95 ? 1 + random.nextInt(4) : 5 + random.nextInt(26);
      String kabkota = random.nextBoolean() ? KABKOTA[2] : KABKOTA[random.nextInt(KABKOTA.length)];
      long id = random.nextLong(1, 1_000_000_000L);
      households.put(id, new Household(id, random.nextInt(distinctScores) * 10.0 / distinctScores - 3, size, kabkota));
    }
    return List.copyOf(households.values());
  }

  /** ceil(parts * cum / N), at least 1, per group; N = 0 means each group's own people. */
  private static Map<Long, Integer> bruteForce(List<Household> households, Function<Household, String> group, long population,
      int parts) {
    Map<Long, Integer> ranks = new HashMap<>();
    households.stream().collect(Collectors.groupingBy(group)).values().forEach(members -> {
      List<Household> sorted = new ArrayList<>(members);
      sorted.sort(Comparator.comparingDouble(Household::score).thenComparingLong(Household::id));
      long n = population > 0 ? population : sorted.stream().mapToLong(Household::size).sum();
      long cumulative = 0;
      for (Household household : sorted) {
        cumulative += household.size();
        ranks.put(household.id(), (int) Math.max(1, (parts * cumulative + n - 1) / n));
      }
    });
    return ranks;
  }

  private Dataset<Row> frame(List<Household> households) {
    List<Row> rows = households.stream()
        .map(h -> RowFactory.create(h.id(), h.score(), h.size(), h.province(), h.kabkota())).toList();
    return spark.createDataFrame(rows, SCHEMA);
  }
}
