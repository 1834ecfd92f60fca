package id.dtks.lakehouse.prelist;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.testing.TestSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Field assignment on four kecamatan in two kabupaten/kota, 500 households per enumerator:
 * <pre>
 *   11.01.01  1,234 households in 3 desa   round(2.468) = 2 enumerators of 617
 *   11.01.02    100 households in 1 desa   fewer than half the target: 1 enumerator of 100
 *   11.02.01  3,000 households in 10 desa  6 enumerators of 500
 *   11.02.02  2,700 households in 4 desa   round(5.4) = 5 enumerators of 540
 * </pre>
 * 11.01 has 3 enumerators (1 supervisor), 11.02 has 11 (ceil(11/5) = 3 supervisors of 4, 4, 3).
 * Household ids are shuffled, so that id order and desa order differ.
 */
class FieldAssignmentTest {
  private static final FieldAssignment.Sizes SIZES = new FieldAssignment.Sizes(500, 5);
  private static SparkSession spark;
  private static Dataset<Row> households;
  private static List<Row> assigned;

  @BeforeAll
  static void assign() {
    spark = TestSpark.session();
    List<String[]> layout = new ArrayList<>();
    addKecamatan(layout, "11.01.01", 3, 1_234);
    addKecamatan(layout, "11.01.02", 1, 100);
    addKecamatan(layout, "11.02.01", 10, 3_000);
    addKecamatan(layout, "11.02.02", 4, 2_700);
    List<Long> ids = new ArrayList<>();
    for (long id = 1; id <= layout.size(); id++) {
      ids.add(id * 7919 % 100_003);
    }
    Collections.shuffle(ids, new Random(42));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < layout.size(); i++) {
      String[] place = layout.get(i);
      rows.add(RowFactory.create(ids.get(i), place[0], place[1], place[2], "11"));
    }
    StructType schema = new StructType().add("id_rt", DataTypes.LongType).add("kode_desa", DataTypes.StringType)
        .add("kode_kecamatan", DataTypes.StringType).add("kode_kabkota", DataTypes.StringType)
        .add("kode_provinsi", DataTypes.StringType);
    households = spark.createDataFrame(rows, schema).repartition(3);
    assigned = FieldAssignment.assign(households, SIZES).collectAsList();
  }

  /** {@code households} households spread over {@code desa} desa of the kecamatan, the first desa fullest. */
  private static void addKecamatan(List<String[]> layout, String kecamatan, int desa, int households) {
    for (int h = 0; h < households; h++) {
      String desaCode = kecamatan + "." + (2001 + h % desa);
      layout.add(new String[] {desaCode, kecamatan, kecamatan.substring(0, 5)});
    }
  }

  @Test
  void everyHouseholdIsAssignedOnceToOneOfEachRole() {
    assertThat(assigned).hasSize(1_234 + 100 + 3_000 + 2_700);
    assertThat(assigned.stream().map(r -> r.<Long>getAs("id_rt")).distinct().count()).isEqualTo(assigned.size());
    assertThat(assigned).allSatisfy(r -> {
      assertThat(r.<String>getAs("id_pencacah")).startsWith("P-" + r.getAs("kode_kecamatan") + "-");
      assertThat(r.<String>getAs("id_pengawas")).startsWith("S-" + r.getAs("kode_kabkota") + "-");
      assertThat(r.<String>getAs("id_koordinator")).isEqualTo("K-" + r.getAs("kode_kecamatan"));
    });
  }

  @Test
  void enumeratorsGetTheirKecamatansHouseholdsInEvenRunsAroundTheTarget() {
    Map<String, List<Row>> byEnumerator = byEnumerator();
    Map<String, Integer> sizes = new TreeMap<>();
    byEnumerator.forEach((id, rows) -> sizes.put(id, rows.size()));

    assertThat(sizes).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
        Map.entry("P-11.01.01-001", 617), Map.entry("P-11.01.01-002", 617), Map.entry("P-11.01.02-001", 100),
        Map.entry("P-11.02.01-001", 500), Map.entry("P-11.02.01-002", 500), Map.entry("P-11.02.01-003", 500),
        Map.entry("P-11.02.01-004", 500), Map.entry("P-11.02.01-005", 500), Map.entry("P-11.02.01-006", 500),
        Map.entry("P-11.02.02-001", 540), Map.entry("P-11.02.02-002", 540), Map.entry("P-11.02.02-003", 540),
        Map.entry("P-11.02.02-004", 540), Map.entry("P-11.02.02-005", 540))));
    // The stated band: half to one and a half times the target, but for a kecamatan under half of it.
    sizes.forEach((id, size) -> {
      if (!id.startsWith("P-11.01.02")) {
        assertThat(size).as(id).isBetween(250, 749);
      }
    });
    byEnumerator.forEach((id, rows) ->
        assertThat(rows.stream().map(r -> r.<String>getAs("kode_kecamatan")).distinct()).as(id).hasSize(1));
  }

  @Test
  void anEnumeratorVisitsAConsecutiveRunOfNeighboursInDesaThenIdOrder() {
    Comparator<Row> neighbours = Comparator.<Row, String>comparing(r -> r.getAs("kode_desa")).thenComparing(r -> r.<Long>getAs("id_rt"));
    Map<String, List<Row>> byKecamatan = assigned.stream().collect(Collectors.groupingBy(r -> r.getAs("kode_kecamatan")));
    for (List<Row> kecamatan : byKecamatan.values()) {
      List<Row> inOrder = kecamatan.stream().sorted(neighbours).toList();
      String previous = null;
      int expectedVisit = 0;
      List<String> enumeratorsInOrder = new ArrayList<>();
      for (Row row : inOrder) {
        String enumerator = row.getAs("id_pencacah");
        expectedVisit = enumerator.equals(previous) ? expectedVisit + 1 : 1;
        if (!enumerator.equals(previous)) {
          assertThat(enumeratorsInOrder).as("enumerator %s comes back after another one", enumerator).doesNotContain(enumerator);
          enumeratorsInOrder.add(enumerator);
        }
        assertThat(row.<Integer>getAs("urutan_kunjungan")).isEqualTo(expectedVisit);
        previous = enumerator;
      }
      assertThat(enumeratorsInOrder).isSorted();
    }
    // 617 households of kecamatan 11.01.01 in desa order: the first enumerator has desa 2001 (412) and part of 2002.
    assertThat(byEnumerator().get("P-11.01.01-001").stream().map(r -> r.<String>getAs("kode_desa")).distinct().sorted())
        .containsExactly("11.01.01.2001", "11.01.01.2002");
  }

  @Test
  void supervisorsLeadAtMostFiveEnumeratorsOfOneKabupatenKota() {
    Map<String, List<String>> enumeratorsBySupervisor = new TreeMap<>();
    byEnumerator().forEach((enumerator, rows) -> {
      assertThat(rows.stream().map(r -> r.<String>getAs("id_pengawas")).distinct()).as(enumerator).hasSize(1);
      enumeratorsBySupervisor.computeIfAbsent(rows.get(0).getAs("id_pengawas"), s -> new ArrayList<>()).add(enumerator);
    });

    assertThat(enumeratorsBySupervisor.keySet()).containsExactly("S-11.01-001", "S-11.02-001", "S-11.02-002", "S-11.02-003");
    assertThat(enumeratorsBySupervisor.values().stream().map(List::size)).containsExactly(3, 4, 4, 3);
    enumeratorsBySupervisor.forEach((supervisor, enumerators) ->
        assertThat(enumerators).allSatisfy(e -> assertThat(e).startsWith("P-" + supervisor.substring(2, 7))));
    assertThat(assigned.stream().map(r -> r.<String>getAs("id_koordinator")).distinct().sorted())
        .containsExactly("K-11.01.01", "K-11.01.02", "K-11.02.01", "K-11.02.02");
  }

  @Test
  void theSameHouseholdsGiveTheSameAssignmentWhateverTheirPartitioning() {
    Dataset<Row> reshuffled = households.repartition(7, col("id_rt")).sortWithinPartitions(col("id_rt").desc());
    Dataset<Row> again = FieldAssignment.assign(reshuffled, SIZES);
    Dataset<Row> first = spark.createDataFrame(assigned, again.schema());

    assertThat(again.exceptAll(first).count()).isZero();
    assertThat(first.exceptAll(again).count()).isZero();
  }

  private static Map<String, List<Row>> byEnumerator() {
    return assigned.stream().collect(Collectors.groupingBy(r -> r.getAs("id_pencacah"), TreeMap::new, Collectors.toList()));
  }
}
