package id.dtks.lakehouse.coverage;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.coverage.CoverageDictionary.Entry;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import id.dtks.lakehouse.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The coverage job on a generated, ingested, conformed and ranked period of 2,000 households ({@link TestLakehouse#rankedPeriod()}). */
@ResourceLock(TestLocks.RANKED_PERIOD)
@Order(5)
class CoveragePeriodTest {
  private static final Period NOVEMBER = TestLakehouse.RANKED_PERIOD;
  private static SparkSession spark;
  private static Lakehouse lakehouse;
  private static DtksSettings settings;
  private static CoveragePeriod.Result result;

  @BeforeAll
  static void rankAndComputeCoverage() {
    spark = TestSpark.session();
    lakehouse = TestLakehouse.rankedPeriod();
    settings = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings();
    result = coverage();
  }

  private static CoveragePeriod.Result coverage() {
    return CoveragePeriod.in(spark, lakehouse).period(NOVEMBER).settings(settings.coverage()).execute();
  }

  @Test
  void everyKabupatenEveryProvinceAndTheNationHaveOneRow() {
    Dataset<Row> table = table(CoveragePeriod.REGIONS_TABLE);
    assertThat(table.count()).isEqualTo(514 + 34 + 1);
    assertThat(result.regions()).hasSize(549);
    Map<String, Long> perLevel = result.regions().stream().collect(Collectors.groupingBy(r -> r.getAs("tingkat"), Collectors.counting()));
    assertThat(perLevel).containsExactlyInAnyOrderEntriesOf(Map.of("KABKOTA", 514L, "PROVINSI", 34L, "NASIONAL", 1L));
    List<String> kabkota = ref("wilayah").where(col("tingkat").equalTo("kabkota")).select("kode").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    assertThat(result.regions().stream().filter(r -> "KABKOTA".equals(r.getAs("tingkat"))).map(r -> r.<String>getAs("kode_kabkota")))
        .containsExactlyInAnyOrderElementsOf(kabkota);
    assertThat(Arrays.stream(table.schema().fields()).map(StructField::name).toList())
        .isEqualTo(CoverageDictionary.names(CoverageDictionary.REGIONS));
    assertThat(Arrays.stream(table(CoveragePeriod.PROGRAMS_TABLE).schema().fields()).map(StructField::name).toList())
        .isEqualTo(CoverageDictionary.names(CoverageDictionary.PROGRAMS));
  }

  @Test
  void kabupatenCountsAddUpToTheirProvinceAndToTheNation() {
    Row nation = result.nation();
    assertThat(nation.<Long>getAs("rumah_tangga")).isEqualTo(silver(ConformPeriod.HOUSEHOLDS).count()).isGreaterThan(1_500);
    assertThat(nation.<Long>getAs("rumah_tangga_diperingkat")).isEqualTo(gold(RankPeriod.TABLE).count());
    // Members count with their household: those of a household no longer in the registry are not in it either.
    assertThat(nation.<Long>getAs("anggota"))
        .isEqualTo(silver(ConformPeriod.MEMBERS).join(silver(ConformPeriod.HOUSEHOLDS), new String[] {"id_rt"}, "left_semi").count());
    assertThat(nation.<Long>getAs("penduduk")).isEqualTo(284_973_643L);
    assertThat(nation.<Long>getAs("jumlah_kabkota")).isEqualTo(514L);
    for (Entry column : CoverageDictionary.REGIONS) {
      if (!column.type().equals("BIGINT")) {
        continue;
      }
      String name = column.name();
      Map<String, Long> perProvince = new HashMap<>();
      long national = 0;
      for (Row row : result.regions()) {
        if ("KABKOTA".equals(row.getAs("tingkat"))) {
          perProvince.merge(row.getAs("kode_provinsi"), row.<Long>getAs(name), Long::sum);
          national += row.<Long>getAs(name);
        }
      }
      assertThat(national).as(name).isEqualTo(nation.<Long>getAs(name));
      for (Row row : result.regions()) {
        if ("PROVINSI".equals(row.getAs("tingkat"))) {
          assertThat(row.<Long>getAs(name)).as(name + " of province " + row.getAs("kode_provinsi"))
              .isEqualTo(perProvince.get(row.<String>getAs("kode_provinsi")));
        }
      }
    }
    long desilHouseholds = 0;
    for (int d = 1; d <= 10; d++) {
      desilHouseholds += nation.<Long>getAs("rt_desil_" + d);
    }
    assertThat(desilHouseholds).isEqualTo(nation.<Long>getAs("rumah_tangga_diperingkat"));
    assertThat(nation.<Long>getAs("kabkota_tidak_pernah") + nation.<Long>getAs("kabkota_di_bawah_50_persen")
        + nation.<Long>getAs("kabkota_50_persen_atau_lebih")).isEqualTo(514L);
    // The generator keeps about 18% of the districts from ever updating: some must show.
    assertThat(nation.<Long>getAs("kabkota_tidak_pernah")).isGreaterThan(50L);
  }

  @Test
  void sharesLieBetweenZeroAndOne() {
    for (List<Row> rows : List.of(result.regions(), result.programs())) {
      List<Entry> columns = rows == result.regions() ? CoverageDictionary.REGIONS : CoverageDictionary.PROGRAMS;
      for (Entry column : columns) {
        if (column.unit().startsWith("share")) {
          assertThat(rows).allSatisfy(row -> {
            Double share = row.getAs(column.name());
            if (share != null) {
              assertThat(share).as(column.name()).isBetween(0.0, 1.0);
            }
          });
        }
      }
    }
    assertThat(result.nation().<Double>getAs("porsi_nik_valid")).isBetween(0.5, 0.999);
    assertThat(result.nation().<Double>getAs("tingkat_padan")).isBetween(0.3, 0.99);
  }

  @Test
  void programCountsAddUpWithTheRecipientsNoRegionCanBeGiven() {
    assertThat(result.programs()).hasSize((514 + 34 + 1 + 1) * 5);
    for (String program : List.of("PKH", "BPNT", "PBI_JK", "KIP", "SUBSIDI_LISTRIK")) {
      List<Row> rows = result.programs().stream().filter(r -> program.equals(r.getAs("program"))).toList();
      Row nation = rows.stream().filter(r -> "NASIONAL".equals(r.getAs("tingkat"))).findFirst().orElseThrow();
      for (String count : List.of("penerima", "penerima_dalam_registri", "penerima_di_luar_desil_1_4", "penerima_di_luar_registri",
          "sasaran_desil_1_4", "sasaran_tidak_menerima")) {
        long below = rows.stream().filter(r -> List.of("KABKOTA", "TANPA_WILAYAH").contains(r.<String>getAs("tingkat")))
            .mapToLong(r -> r.<Long>getAs(count)).sum();
        assertThat(below).as(program + " " + count).isEqualTo(nation.<Long>getAs(count));
      }
      assertThat(nation.<Long>getAs("penerima")).as(program).isEqualTo(nation.<Long>getAs("penerima_dalam_registri")
          + nation.<Long>getAs("penerima_di_luar_registri")).isPositive();
    }
    long recipients = bronze("penerima_program").count();
    long counted = result.programs().stream().filter(r -> "NASIONAL".equals(r.getAs("tingkat"))).mapToLong(r -> r.<Long>getAs("penerima"))
        .sum();
    // Distinct recipients: at most the rows the program systems sent (which repeat some).
    assertThat(counted).isPositive().isLessThanOrEqualTo(recipients);
  }

  @Test
  void exportsHoldEveryRowWithTheUnitsOfTheDictionary() throws IOException {
    Path folder = Path.of(lakehouse.exportFolder(CoveragePeriod.EXPORT, NOVEMBER));
    List<String> csv = Files.readAllLines(folder.resolve("cakupan_wilayah.csv"));
    assertThat(csv).hasSize(1 + 549);
    assertThat(csv.get(0)).isEqualTo(String.join(",", CoverageDictionary.names(CoverageDictionary.REGIONS)));
    assertThat(csv.get(1)).startsWith("2026-11,NASIONAL,,,,,514,284973643,");
    assertThat(csv).noneMatch(line -> line.matches(".*[0-9][eE][-+]?[0-9].*") || line.contains("NaN"));
    assertThat(Files.readAllLines(folder.resolve("cakupan_program.csv"))).hasSize(1 + 550 * 5);

    JsonNode json = new ObjectMapper().readTree(folder.resolve("cakupan_wilayah.json").toFile());
    assertThat(json.get("periode").asText()).isEqualTo("2026-11");
    assertThat(json.get("baris")).hasSize(549);
    assertThat(json.get("kolom")).hasSize(CoverageDictionary.REGIONS.size());
    assertThat(json.get("kolom").get(CoverageDictionary.names(CoverageDictionary.REGIONS).indexOf("cakupan_individu"))
        .get("satuan").asText()).isEqualTo("share (0 to 1)");
    JsonNode nation = json.get("baris").get(0);
    assertThat(nation.get("tingkat").asText()).isEqualTo("NASIONAL");
    assertThat(nation.get("rumah_tangga").asLong()).isEqualTo(result.nation().<Long>getAs("rumah_tangga"));
    assertThat(nation.get("kode_provinsi").isNull()).isTrue();
  }

  @Test
  void runningThePeriodAgainReplacesItsRowsAndItsExportsWithTheSame() throws IOException {
    Path csv = Path.of(lakehouse.exportFolder(CoveragePeriod.EXPORT, NOVEMBER)).resolve("cakupan_program.csv");
    byte[] before = Files.readAllBytes(csv);
    CoveragePeriod.Result again = coverage();
    assertThat(again.regions()).isEqualTo(result.regions());
    assertThat(table(CoveragePeriod.REGIONS_TABLE).count()).isEqualTo(549);
    assertThat(Files.readAllBytes(csv)).isEqualTo(before);
  }

  @Test
  void theSummaryNamesTheNationAndTheTenLowestDistricts() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CoverageCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), result);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains(String.format("nation: %,d households", result.nation().<Long>getAs("rumah_tangga")))
        .contains("the 10 kabupaten/kota with the lowest share of their population in desil 1-4")
        .contains("exports: " + lakehouse.exportFolder(CoveragePeriod.EXPORT, NOVEMBER) + "/cakupan_wilayah.csv");
    List<Row> lowest = CoverageCommand.lowestCoverage(result.regions());
    assertThat(lowest).hasSize(10);
    assertThat(lowest).isSortedAccordingTo(java.util.Comparator.comparing(r -> r.<Double>getAs("porsi_penduduk_desil_1_4")));
    double lowestShare = lowest.get(9).<Double>getAs("porsi_penduduk_desil_1_4");
    assertThat(result.regions().stream().filter(r -> "KABKOTA".equals(r.getAs("tingkat")) && !lowest.contains(r)))
        .allSatisfy(r -> assertThat(r.<Double>getAs("porsi_penduduk_desil_1_4")).isGreaterThanOrEqualTo(lowestShare));
    lowest.forEach(r -> assertThat(printed).contains(r.<String>getAs("nama_kabkota")));
  }

  @Test
  void aPeriodWithoutARankingIsRefused() {
    assertThatThrownBy(() -> CoveragePeriod.in(spark, lakehouse).period(Period.parse("2026-12")).settings(settings.coverage()).execute())
        .hasMessageStartingWith("Cannot compute coverage for period 2026-12: silver holds the registry as of period 2026-11");
  }

  private static Dataset<Row> table(String name) {
    return gold(name).where(col("periode").equalTo(NOVEMBER.toString()));
  }

  private static Dataset<Row> gold(String name) {
    return spark.read().format("delta").load(lakehouse.table(Layer.GOLD, name));
  }

  private static Dataset<Row> silver(String name) {
    return spark.read().format("delta").load(lakehouse.table(Layer.SILVER, name)).where(col("status_data").equalTo("AKTIF"));
  }

  private static Dataset<Row> bronze(String name) {
    return spark.read().format("delta").load(lakehouse.table(Layer.BRONZE, name)).where(col("periode").equalTo(NOVEMBER.toString()));
  }

  private static Dataset<Row> ref(String name) {
    return spark.read().format("delta").load(lakehouse.table(Layer.REF, name));
  }
}
