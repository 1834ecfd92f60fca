package id.dtks.lakehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.testing.LakehouseComparison.TableResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The comparison the cluster tests rely on finds what differs, and only that. */
class LakehouseComparisonTest {
  private static final StructType SCHEMA = new StructType().add("id_rt", DataTypes.LongType).add("desil", DataTypes.IntegerType)
      .add("waktu_muat", DataTypes.StringType);
  private static final Path ROOT = TestLakehouse.workDirectory().resolve("lakehouse-comparison");
  private static Map<String, TableResult> results;

  @BeforeAll
  static void twoLakehouses() throws IOException {
    SparkSession spark = TestSpark.session();
    TestLakehouse.deleteRecursively(ROOT);
    Path expected = ROOT.resolve("expected");
    Path actual = ROOT.resolve("actual");
    List<Row> rows = List.of(RowFactory.create(1L, 3, "10:00"), RowFactory.create(2L, 7, "10:00"), RowFactory.create(3L, 7, "10:00"));
    write(spark, expected, "gold/same", rows);
    // The load time differs: a run column, not data.
    write(spark, actual, "gold/same", List.of(RowFactory.create(1L, 3, "11:30"), RowFactory.create(2L, 7, "11:30"),
        RowFactory.create(3L, 7, "11:30")));
    write(spark, expected, "gold/changed", rows);
    write(spark, actual, "gold/changed", List.of(rows.get(0), rows.get(1), RowFactory.create(3L, 8, "10:00")));
    write(spark, expected, "gold/duplicated", rows);
    write(spark, actual, "gold/duplicated", List.of(rows.get(0), rows.get(1), rows.get(2), rows.get(2)));
    write(spark, expected, "gold/only_expected", rows);
    write(spark, expected, "ops/publikasi", rows);
    write(spark, actual, "ops/publikasi", rows);
    results = new LakehouseComparison(spark, expected, actual).tables().stream()
        .collect(Collectors.toMap(TableResult::table, r -> r));
    Files.createDirectories(expected.resolve("export/x"));
    Files.writeString(expected.resolve("export/x/a.csv"), "a\n1\n");
    Files.createDirectories(actual.resolve("export/x"));
    Files.writeString(actual.resolve("export/x/a.csv"), "a\n2\n");
  }

  private static void write(SparkSession spark, Path lakehouse, String table, List<Row> rows) {
    spark.createDataFrame(rows, SCHEMA).write().format("delta").save(lakehouse.resolve(table).toString());
  }

  @Test
  void equalTablesAreEqualWhateverTheirRunColumns() {
    assertThat(results.get("gold/same").equal()).isTrue();
    assertThat(results.get("gold/same").expectedRows()).isEqualTo(3);
    assertThat(results.get("ops/publikasi").equal()).isTrue();
  }

  @Test
  void aChangedRowIsOneMissingAndOneUnexpected() {
    TableResult changed = results.get("gold/changed");
    assertThat(changed.equal()).isFalse();
    assertThat(changed.differences()).containsExactly("1 expected rows missing, e.g. [[3,7]]", "1 rows not expected, e.g. [[3,8]]");
  }

  @Test
  void aDuplicatedRowCountsAndATableOnOneSideOnlyIsADifference() {
    assertThat(results.get("gold/duplicated").differences())
        .containsExactly("4 rows, expected 3", "1 rows not expected, e.g. [[3,7]]");
    assertThat(results.get("gold/only_expected").equal()).isFalse();
  }

  @Test
  void exportFilesAreComparedByContent() {
    assertThat(new LakehouseComparison(TestSpark.session(), ROOT.resolve("expected"), ROOT.resolve("actual"))
        .differentExportFiles()).containsExactly("export/x/a.csv");
  }
}
