package id.dtks.lakehouse.prelist;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.config.DtksSettings.PrelistSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import id.dtks.lakehouse.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The prelist job on a generated, ingested, conformed and ranked period of 2,000 households
 * ({@link TestLakehouse#rankedPeriod()}), with
 * small officers (3 households per enumerator, 2 enumerators per supervisor) so that a small
 * registry still gives kecamatan with several enumerators.
 */
@ResourceLock(TestLocks.RANKED_PERIOD)
@Order(6)
class PrelistPeriodTest {
  private static final Period NOVEMBER = TestLakehouse.RANKED_PERIOD;
  private static SparkSession spark;
  private static Lakehouse lakehouse;
  private static PrelistSettings settings;
  private static PrelistPeriod.Result result;

  @BeforeAll
  static void prepareThePrelist() {
    spark = TestSpark.session();
    lakehouse = TestLakehouse.rankedPeriod();
    PrelistSettings prelist = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings().prelist();
    settings = new PrelistSettings(prelist.desilMax(), prelist.checks(), prelist.verivaliWindowMonths(), 3, 2, true);
    result = prelist();
  }

  private static PrelistPeriod.Result prelist() {
    return PrelistPeriod.in(spark, lakehouse).period(NOVEMBER).settings(settings).execute();
  }

  @Test
  void everySelectedHouseholdIsOnTheListOnceWithAReason() {
    Dataset<Row> prelist = table(PrelistPeriod.TABLE);
    long activeHouseholds = spark.read().format("delta").load(lakehouse.table(Layer.SILVER, ConformPeriod.HOUSEHOLDS))
        .where(col("status_data").equalTo(ConformPeriod.ACTIVE)).count();

    assertThat(result.households()).isEqualTo(prelist.count()).isPositive().isLessThanOrEqualTo(activeHouseholds);
    assertThat(prelist.select("id_rt").distinct().count()).isEqualTo(result.households());
    assertThat(prelist.where(size(col("alasan")).equalTo(0)).count()).isZero();
    // The desil range (1-6 of 10) alone takes about 60% of the people; the checks add more.
    assertThat(result.byReason().get("DESIL_SASARAN")).isGreaterThan(activeHouseholds / 3);
    assertThat(result.byReason().keySet()).containsExactlyElementsOf(PrelistReason.codes());
    assertThat(result.byReason().values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(result.households());
  }

  @Test
  void noEnumeratorSpansTwoKecamatanNorSupervisorTwoKabupatenKota() {
    Dataset<Row> prelist = table(PrelistPeriod.TABLE);

    assertThat(prelist.groupBy("id_pencacah").agg(countDistinct("kode_kecamatan").as("n")).where(col("n").gt(1)).count()).isZero();
    assertThat(prelist.groupBy("id_pengawas").agg(countDistinct("kode_kabkota").as("n")).where(col("n").gt(1)).count()).isZero();
    assertThat(prelist.groupBy("id_pengawas").agg(countDistinct("id_pencacah").as("n")).where(col("n").gt(2)).count()).isZero();
    assertThat(prelist.groupBy("kode_kecamatan").agg(countDistinct("id_koordinator").as("n")).where(col("n").notEqual(1)).count())
        .isZero();
    assertThat(result.coordinators()).isEqualTo(prelist.select("kode_kecamatan").distinct().count());
    assertThat(result.maxPerEnumerator()).isLessThanOrEqualTo(4); // under 1.5 x 3
  }

  @Test
  void theWorkloadTableHasEveryKabupatenKotaAndAddsUpToThePrelist() {
    Dataset<Row> workload = table(PrelistPeriod.WORKLOAD_TABLE);
    Row totals = workload.agg(sum("rumah_tangga"), sum("pencacah"), sum("pengawas"), sum("koordinator")).first();

    assertThat(workload.count()).isEqualTo(514);
    assertThat(totals.getLong(0)).isEqualTo(result.households());
    assertThat(totals.getLong(1)).isEqualTo(result.enumerators());
    assertThat(totals.getLong(2)).isEqualTo(result.supervisors());
    assertThat(totals.getLong(3)).isEqualTo(result.coordinators());
    assertThat(workload.where(col("rumah_tangga").equalTo(0)).where(col("pencacah").notEqual(0)).count()).isZero();
  }

  @Test
  void theFieldFilesHoldEveryHouseholdOncePerKabupatenKotaWithNameAndNik() throws IOException {
    Path folder = Path.of(result.exportFolder());
    List<String> lines = new ArrayList<>();
    long files;
    // Hidden files (.crc checksums of the local file system) are not the field apps' business.
    try (Stream<Path> csvs = Files.list(folder).filter(p -> !p.getFileName().toString().startsWith("."))) {
      List<Path> all = csvs.sorted().toList();
      files = all.size();
      for (Path csv : all) {
        assertThat(csv.getFileName().toString()).matches("\\d\\d\\.\\d\\d\\.csv");
        List<String> fileLines = Files.readAllLines(csv);
        assertThat(fileLines.get(0)).startsWith("kode_kecamatan,kode_desa,id_koordinator,id_pengawas,id_pencacah,"
            + "urutan_kunjungan,id_rt,nama_kepala,nik_kepala,");
        fileLines.subList(1, fileLines.size()).forEach(line ->
            assertThat(line).startsWith(csv.getFileName().toString().substring(0, 5)));
        lines.addAll(fileLines.subList(1, fileLines.size()));
      }
    }
    assertThat(files).isEqualTo(result.exportFiles())
        .isEqualTo(table(PrelistPeriod.TABLE).select("kode_kabkota").distinct().count());
    assertThat(lines).hasSize((int) result.households());
  }

  @Test
  void runningThePeriodAgainGivesTheSameAssignment() throws IOException {
    List<Row> before = table(PrelistPeriod.TABLE).orderBy("id_rt").collectAsList();
    PrelistPeriod.Result again = prelist();

    assertThat(table(PrelistPeriod.TABLE).orderBy("id_rt").collectAsList()).isEqualTo(before);
    assertThat(again.households()).isEqualTo(result.households());
    assertThat(again.enumerators()).isEqualTo(result.enumerators());
  }

  @Test
  void refusesAPeriodThatWasNotRanked() {
    assertThatThrownBy(() -> PrelistPeriod.in(spark, lakehouse).period(Period.parse("2026-12")).settings(settings).execute())
        .hasMessageContaining("Cannot prepare the prelist of period 2026-12");
  }

  private static Dataset<Row> table(String name) {
    return spark.read().format("delta").load(lakehouse.table(Layer.GOLD, name)).where(col("periode").equalTo(NOVEMBER.toString()));
  }
}
