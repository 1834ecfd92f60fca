package id.dtks.lakehouse.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parallel ranking against a brute-force reference: one sort of every household on the driver. */
class NationalRankingTest {
  private static final StructType SCHEMA = StructType.fromDDL("id_rt BIGINT, skor DOUBLE, jumlah INT");
  private final SparkSession spark = TestSpark.session();

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 3, 7})
  void equalsTheBruteForceRankingWhateverThePartitioning(int partitions) {
    List<Household> households = randomHouseholds(20_000, 42);
    long population = households.stream().mapToLong(Household::size).sum();
    Map<Long, long[]> expected = bruteForce(households, population);

    try (NationalRanking.Ranked ranked = NationalRanking.rank(frame(households), "id_rt", "skor", "jumlah", population, partitions)) {
      List<Row> rows = ranked.rows().collectAsList();

      assertThat(rows).hasSize(households.size()).allSatisfy(row -> {
        long[] want = expected.get(row.getLong(0));
        assertThat(new long[] {row.getLong(3), row.getInt(4), row.getInt(5)}).as("household %d", row.getLong(0)).containsExactly(want);
      });
    }
  }

  @Test
  void eachDesilHoldsATenthOfThePeopleWithinOneHousehold() {
    List<Household> households = randomHouseholds(30_000, 7);
    long population = households.stream().mapToLong(Household::size).sum();
    int largest = households.stream().mapToInt(Household::size).max().orElseThrow();

    try (NationalRanking.Ranked ranked = NationalRanking.rank(frame(households), "id_rt", "skor", "jumlah", population, 4)) {
      Map<Integer, Long> people = new HashMap<>();
      ranked.rows().collectAsList().forEach(row -> people.merge(row.getInt(5), (long) row.getInt(2), Long::sum));

      assertThat(people).containsOnlyKeys(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
      people.values().forEach(count -> assertThat((double) count).isBetween(population / 10.0 - largest, population / 10.0 + largest));
    }
  }

  @Test
  void aPartialRegistryRanksAgainstTheNationalPopulation() {
    List<Household> households = randomHouseholds(1_000, 3);
    long registry = households.stream().mapToLong(Household::size).sum();

    try (NationalRanking.Ranked ranked = NationalRanking.rank(frame(households), "id_rt", "skor", "jumlah", registry * 10 / 4, 2)) {
      // The registry holds the poorest 40% of a population 2.5 times its size: desil 1 to 4 only.
      assertThat(ranked.rows().selectExpr("max(desil_nasional)").first().getInt(0)).isEqualTo(4);
    }
  }

  @Test
  void noStepMovesEveryHouseholdIntoOnePartition() {
    try (NationalRanking.Ranked ranked = NationalRanking.rank(frame(randomHouseholds(2_000, 5)), "id_rt", "skor", "jumlah", 8_000, 4)) {
      String plan = ranked.rows().queryExecution().executedPlan().toString() + ranked.cachedOrder().queryExecution().executedPlan();

      assertThat(plan).doesNotContain("SinglePartition").contains("rangepartitioning");
      assertThat(ranked.rows().rdd().getNumPartitions()).isEqualTo(4);
    }
  }

  @Test
  void rejectsAnEmptyReferencePopulation() {
    assertThatThrownBy(() -> NationalRanking.rank(frame(randomHouseholds(10, 1)), "id_rt", "skor", "jumlah", 0, 2))
        .hasMessage("Cannot rank: the reference population must be above 0, not 0");
  }

  private record Household(long id, double score, int size) {}

  /** Scores from a few dozen values (many ties), sizes skewed towards 1 to 4 with a long tail. */
  private static List<Household> randomHouseholds(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Household> households = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int size = random.nextDouble() < 0.95 ? 1 + random.nextInt(4) : 5 + random.nextInt(26);
      households.add(new Household(random.nextLong(1, 1_000_000_000L), random.nextInt(40) / 4.0, size));
    }
    return households.stream().collect(java.util.stream.Collectors.toMap(Household::id, h -> h, (a, b) -> a))
        .values().stream().toList();
  }

  private static Map<Long, long[]> bruteForce(List<Household> households, long population) {
    List<Household> sorted = new ArrayList<>(households);
    sorted.sort(Comparator.comparingDouble(Household::score).thenComparingLong(Household::id));
    Map<Long, long[]> ranks = new HashMap<>();
    long cumulative = 0;
    for (Household household : sorted) {
      cumulative += household.size();
      long percentile = Math.max(1, (long) Math.ceil(100.0 * cumulative / population - 1e-12));
      long desil = Math.max(1, (long) Math.ceil(10.0 * cumulative / population - 1e-12));
      ranks.put(household.id(), new long[] {cumulative, percentile, desil});
    }
    return ranks;
  }

  private Dataset<Row> frame(List<Household> households) {
    List<Row> rows = households.stream().map(h -> RowFactory.create(h.id(), h.score(), h.size())).toList();
    return spark.createDataFrame(rows, SCHEMA);
  }
}
