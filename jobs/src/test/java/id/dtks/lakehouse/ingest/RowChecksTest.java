package id.dtks.lakehouse.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ExplainMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row checks the generator never provokes, on hand-built rows, and what the checks move around. */
class RowChecksTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void keysCodesAndDatesOfOperatorRows() {
    Date opened = Date.valueOf("2016-01-04");
    Dataset<Row> operators = spark.createDataFrame(List.of(
            RowFactory.create(1L, "32.73", opened, "AKTIF", null, "part-0", 1L),
            RowFactory.create(1L, "32.73", opened, "AKTIF", null, "part-1", 2L),                     // same content again
            RowFactory.create(2L, "32.73", opened, "AKTIF", null, "part-0", 3L),
            RowFactory.create(2L, "32.74", opened, "AKTIF", null, "part-0", 4L),                     // same key, other content
            RowFactory.create(null, "32.73", opened, "AKTIF", null, "part-0", 5L),
            RowFactory.create(3L, "99.99", opened, "AKTIF", null, "part-0", 6L),
            RowFactory.create(4L, "32.73", opened, "DIBLOKIR", null, "part-0", 7L),
            RowFactory.create(5L, "32.73", opened, "DICABUT", null, "part-0", 8L),                   // revoked, no date
            RowFactory.create(6L, "32.73", opened, "DICABUT", Date.valueOf("2027-01-02"), "part-0", 9L),
            RowFactory.create(7L, "32.73", opened, "DICABUT", Date.valueOf("2024-05-06"), "part-0", 10L)),
        RawExport.OPERATOR.schema().add(IngestPeriod.SOURCE_FILE, DataTypes.StringType).add(RawContract.ROW_ID, DataTypes.LongType));
    RowChecks.Context context = new RowChecks.Context(Period.parse("2026-11"), null, List.of("32.73", "32.74"),
        null, null, null, null);

    Map<String, List<String>> reasons = RowChecks.classify(RawExport.OPERATOR, operators, context)
        .select(col("id_operator").cast("string"), col(IngestPeriod.SOURCE_FILE), col(RowChecks.REASONS), col("kode_kabkota"))
        .collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0) + "@" + r.getString(1) + (r.isNullAt(0) ? "" : "#" + r.getString(3)),
            r -> r.getList(2), (a, b) -> a));

    assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
        "1@part-0#32.73", List.of(),
        "1@part-1#32.73", List.of("KUNCI_GANDA"),
        "2@part-0#32.73", List.of("KUNCI_GANDA_BERBEDA"),
        "2@part-0#32.74", List.of("KUNCI_GANDA_BERBEDA"),
        "null@part-0", List.of("KUNCI_KOSONG"),
        "3@part-0#99.99", List.of("KODE_KABKOTA_TIDAK_DIKENAL"),
        "4@part-0#32.73", List.of("NILAI_KODE_TIDAK_DIKENAL"),
        "5@part-0#32.73", List.of("NILAI_KODE_TIDAK_DIKENAL"),
        "6@part-0#32.73", List.of("TANGGAL_TIDAK_MUNGKIN"),
        "7@part-0#32.73", List.of()));
  }

  @Test
  void memberChecksShuffleIdsAndKeysNotTheMembersRows(@TempDir Path files) {
    // A session of its own: no broadcast joins and no adaptive re-planning, so the plan shows every
    // shuffle a national load would do, and the other test classes' sessions keep their settings.
    SparkSession planned = spark.newSession();
    planned.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    planned.conf().set("spark.sql.adaptive.enabled", "false");
    StructType memberSchema = RawExport.ANGGOTA_RUMAH_TANGGA.schema().add(IngestPeriod.SOURCE_FILE, DataTypes.StringType)
        .add(RawContract.ROW_ID, DataTypes.LongType);
    Object[] member = new Object[memberSchema.size()];
    member[memberSchema.fieldIndex(RawContract.ROW_ID)] = 1L;
    // Read from files: Spark would compute a plan over in-memory rows while optimizing it.
    planned.createDataFrame(List.of(RowFactory.create(member)), memberSchema).write().parquet(files.resolve("members").toString());
    planned.createDataFrame(List.of(RowFactory.create(7L)), new StructType().add("id_rt", DataTypes.LongType))
        .write().parquet(files.resolve("households").toString());
    Dataset<Row> members = planned.read().parquet(files.resolve("members").toString());
    Dataset<Row> householdIds = planned.read().parquet(files.resolve("households").toString());
    RowChecks.Context context = new RowChecks.Context(Period.parse("2026-11"), null, List.of(), householdIds, householdIds, null, null);

    String plan = RowChecks.reasons(RawExport.ANGGOTA_RUMAH_TANGGA, members, context).queryExecution()
        .explainString(ExplainMode.fromString("formatted"));
    List<String> shuffledColumns = Arrays.stream(plan.split("\n\n")).filter(node -> node.matches("(?s)\\(\\d+\\) Exchange.*"))
        .map(node -> node.lines().filter(line -> line.startsWith("Input")).findFirst().orElseThrow()).toList();

    assertThat(shuffledColumns).as("the shuffles of the member checks (key copies, households)").hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(input -> assertThat(input).doesNotContain("nama#", "nik#", "nkk#", "tanggal_lahir#", "pendidikan_tertinggi#"));
  }
}
