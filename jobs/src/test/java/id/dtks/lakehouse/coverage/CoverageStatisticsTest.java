package id.dtks.lakehouse.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import id.dtks.lakehouse.testing.TestSpark;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hand-built registry of three kabupaten/kota in two provinces, every expected value worked out
 * below by hand from the rows, not by the code under test:
 * <ul>
 *   <li>11.01 (A): three households, one updated outside the window, one last updated by a revoked operator;
 *   <li>11.02 (B): no households at all, still a row with zeros;
 *   <li>12.01 (C): two households that never had a verivali update.
 * </ul>
 * Period 2026-11 (last day 2026-11-30), window 24 months: updates after 2024-11-30 count.
 */
class CoverageStatisticsTest {
  private static final String PERIOD = "2026-11";
  private static Map<String, Row> regions;
  private static Map<String, Row> programs;

  @BeforeAll
  static void compute() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> regionList = frame(spark, "kode_provinsi STRING, nama_provinsi STRING, kode_kabkota STRING, nama_kabkota STRING",
        row("11", "ACEH", "11.01", "KAB. A"),
        row("11", "ACEH", "11.02", "KAB. B"),
        row("12", "SUMATERA UTARA", "12.01", "KAB. C"));
    Dataset<Row> population = frame(spark, "kode_kabkota STRING, penduduk BIGINT",
        row("11.01", 100L), row("11.02", 50L), row("12.01", 40L));
    Dataset<Row> households = frame(spark, "id_rt BIGINT, kode_kabkota STRING, jumlah_anggota_hidup INT, jumlah_update BIGINT, "
            + "tanggal_update_terakhir DATE, id_operator_terakhir BIGINT, sumber_penerangan STRING",
        row(1L, "11.01", 3, 2L, date("2026-05-01"), 901L, "PLN_450VA"),
        row(2L, "11.01", 2, 1L, date("2020-01-15"), 902L, "PLN_1300VA"),
        row(3L, "11.01", 4, 1L, date("2025-12-01"), 901L, "PLN_900VA"),
        row(4L, "12.01", 1, 0L, null, null, "BUKAN_PLN"),
        row(5L, "12.01", 2, 0L, null, null, "PLN_450VA"));
    Dataset<Row> members = frame(spark, "id_art BIGINT, id_rt BIGINT, nik_valid BOOLEAN, nik_alasan ARRAY<STRING>, "
            + "jenis_kelamin_cocok BOOLEAN, nik_duplikat_dalam_rt BOOLEAN, nik_duplikat_antar_rt BOOLEAN, status_padan STRING, "
            + "meninggal BOOLEAN, tanggal_lahir DATE, status_sekolah STRING, hamil BOOLEAN, disabilitas STRING",
        member(11, 1, true, List.of(), true, false, false, "PADAN", false, "1991-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(12, 1, false, List.of("NIK_KOSONG"), null, false, false, "BELUM_DIPADANKAN", false, "2022-06-01", "BELUM_SEKOLAH", false),
        member(13, 1, true, List.of(), true, true, false, "PADAN", false, "2016-03-01", "MASIH_SEKOLAH", false),
        member(21, 2, true, List.of(), true, false, true, "PADAN", false, "1986-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(22, 2, true, List.of(), true, false, false, "PADAN", true, "1956-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(23, 2, false, List.of("NIK_FORMAT_SPREADSHEET"), null, false, false, "TIDAK_PADAN", false, "1996-01-01",
            "TIDAK_SEKOLAH_LAGI", false),
        member(31, 3, true, List.of(), false, false, false, "PADAN", false, "1961-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(32, 3, true, List.of(), true, false, false, "PADAN", false, "2010-01-01", "MASIH_SEKOLAH", false),
        member(33, 3, true, List.of(), true, false, false, "TIDAK_PADAN", false, "2010-02-01", "TIDAK_SEKOLAH_LAGI", false),
        member(34, 3, false, List.of("NIK_TANGGAL_TIDAK_VALID", "NIK_SERIAL_NOL"), null, false, false, "TIDAK_PADAN", false,
            "2001-01-01", "TIDAK_SEKOLAH_LAGI", true),
        member(41, 4, true, List.of(), true, false, false, "BELUM_DIPADANKAN", false, "1976-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(51, 5, true, List.of(), true, false, false, "PADAN", false, "2006-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(52, 5, true, List.of(), true, false, false, "PADAN", false, "2004-01-01", "TIDAK_SEKOLAH_LAGI", false));
    Dataset<Row> ranking = frame(spark, "id_rt BIGINT, desil_nasional INT", row(1L, 1), row(2L, 5), row(3L, 3), row(4L, 2));
    Dataset<Row> recipients = frame(spark, "program STRING, id_rt BIGINT, id_art BIGINT, nik STRING",
        row("PKH", 1L, 11L, null),
        row("PKH", 2L, 21L, null),
        row("BPNT", 1L, 11L, null),
        row("BPNT", 9999L, null, null),
        row("SUBSIDI_LISTRIK", 3L, 31L, null),
        row("PBI_JK", 1L, 11L, "1101010101910001"),
        row("PBI_JK", 1L, 11L, "1101010101910001"),
        row("PBI_JK", 2L, 21L, "1101010101860001"),
        row("PBI_JK", 8888L, null, "1201015505800001"),
        row("PBI_JK", 8889L, null, "9999015505800001"),
        row("KIP", 1L, 13L, "1101010303160001"),
        row("KIP", 3L, 33L, "1101010102100001"));
    Dataset<Row> operators = frame(spark, "id_operator BIGINT, kode_kabkota STRING, status_akses STRING",
        row(901L, "11.01", "AKTIF"), row(902L, "11.01", "DICABUT"), row(903L, "12.01", "AKTIF"));

    CoverageStatistics.Inputs inputs = new CoverageStatistics.Inputs(regionList, population, households, members, ranking,
        recipients, operators, LocalDate.of(2026, 11, 30), 24);
    CoverageStatistics.KabkotaSums sums = CoverageStatistics.sums(inputs);
    regions = new HashMap<>();
    for (Row r : CoverageStatistics.regions(inputs, sums, PERIOD).collectAsList()) {
      regions.put(r.<String>getAs("tingkat") + " " + r.getAs("kode_provinsi") + " " + r.getAs("kode_kabkota"), r);
    }
    programs = new HashMap<>();
    for (Row r : CoverageStatistics.programs(inputs, sums, PERIOD).collectAsList()) {
      programs.put(r.<String>getAs("program") + " " + r.<String>getAs("tingkat") + " " + r.getAs("kode_provinsi") + " "
          + r.getAs("kode_kabkota"), r);
    }
  }

  @Test
  void everyRegionHasOneRowAtEachLevelAndTheColumnsOfTheDictionary() {
    assertThat(regions.keySet()).containsExactlyInAnyOrder("KABKOTA 11 11.01", "KABKOTA 11 11.02", "KABKOTA 12 12.01",
        "PROVINSI 11 null", "PROVINSI 12 null", "NASIONAL null null");
    Row any = regions.get("NASIONAL null null");
    assertThat(Arrays.asList(any.schema().fieldNames())).isEqualTo(CoverageDictionary.names(CoverageDictionary.REGIONS));
    assertThat(regions.values()).allSatisfy(r -> assertThat(r.<String>getAs("periode")).isEqualTo(PERIOD));
    assertThat(regions.get("KABKOTA 11 11.02").<String>getAs("nama_kabkota")).isEqualTo("KAB. B");
    assertThat(regions.get("PROVINSI 12 null").<String>getAs("nama_provinsi")).isEqualTo("SUMATERA UTARA");
    assertThat(regions.get("PROVINSI 12 null").<String>getAs("nama_kabkota")).isNull();
    assertThat(regions.get("NASIONAL null null").<String>getAs("nama_provinsi")).isNull();
  }

  @Test
  void kabupatenWithHouseholds() {
    Row a = regions.get("KABKOTA 11 11.01");
    expect(a, Map.ofEntries(
        Map.entry("jumlah_kabkota", 1L), Map.entry("penduduk", 100L), Map.entry("rumah_tangga", 3L), Map.entry("individu", 9L),
        Map.entry("rumah_tangga_diperingkat", 3L), Map.entry("individu_diperingkat", 9L),
        Map.entry("rt_desil_1", 1L), Map.entry("rt_desil_2", 0L), Map.entry("rt_desil_3", 1L), Map.entry("rt_desil_5", 1L),
        Map.entry("individu_desil_1", 3L), Map.entry("individu_desil_3", 4L), Map.entry("individu_desil_5", 2L),
        Map.entry("individu_desil_10", 0L),
        Map.entry("rt_desil_1_4", 2L), Map.entry("individu_desil_1_4", 7L), Map.entry("rt_desil_1_6", 3L),
        Map.entry("individu_desil_1_6", 9L),
        Map.entry("rt_pernah_diperbarui", 3L), Map.entry("rt_diperbarui_dalam_jendela", 2L),
        Map.entry("kelas_aktivitas", "50_PERSEN_ATAU_LEBIH"), Map.entry("kabkota_50_persen_atau_lebih", 1L),
        Map.entry("kabkota_tidak_pernah", 0L), Map.entry("tanggal_update_terakhir", date("2026-05-01")),
        Map.entry("rt_update_terakhir_operator_dicabut", 1L),
        Map.entry("anggota", 10L), Map.entry("nik_valid", 7L), Map.entry("nik_kosong", 1L), Map.entry("nik_format_spreadsheet", 1L),
        Map.entry("nik_tanggal_tidak_valid", 1L), Map.entry("nik_serial_nol", 1L), Map.entry("nik_placeholder", 0L),
        Map.entry("nik_jenis_kelamin_tidak_cocok", 1L), Map.entry("nik_duplikat_dalam_rt", 1L), Map.entry("nik_duplikat_antar_rt", 1L),
        Map.entry("padan_dukcapil", 6L), Map.entry("meninggal_masih_terdaftar", 1L),
        Map.entry("operator_aktif", 1L), Map.entry("operator_dicabut", 1L)));
    expectRates(a, Map.of("cakupan_individu", 0.09, "porsi_penduduk_desil_1_4", 0.07, "porsi_penduduk_desil_1_6", 0.09,
        "tingkat_pembaruan", 2.0 / 3, "porsi_nik_valid", 0.7, "tingkat_padan", 0.6, "rt_per_operator_aktif", 3.0));
  }

  @Test
  void kabupatenWithoutHouseholdsHasZerosAndNoRates() {
    Row b = regions.get("KABKOTA 11 11.02");
    expect(b, Map.of("penduduk", 50L, "rumah_tangga", 0L, "individu", 0L, "individu_desil_1_4", 0L, "anggota", 0L,
        "operator_aktif", 0L, "kelas_aktivitas", "TIDAK_PERNAH", "kabkota_tidak_pernah", 1L));
    expectRates(b, Map.of("cakupan_individu", 0.0, "porsi_penduduk_desil_1_4", 0.0));
    for (String rate : List.of("tingkat_pembaruan", "porsi_nik_valid", "tingkat_padan", "rt_per_operator_aktif")) {
      assertThat(b.<Object>getAs(rate)).as(rate).isNull();
    }
    assertThat(b.<Object>getAs("tanggal_update_terakhir")).isNull();
  }

  @Test
  void kabupatenThatNeverUpdated() {
    Row c = regions.get("KABKOTA 12 12.01");
    expect(c, Map.of("rumah_tangga", 2L, "individu", 3L, "rumah_tangga_diperingkat", 1L, "individu_diperingkat", 1L,
        "rt_desil_2", 1L, "individu_desil_1_4", 1L, "rt_pernah_diperbarui", 0L, "kelas_aktivitas", "TIDAK_PERNAH",
        "anggota", 3L, "padan_dukcapil", 2L));
    expectRates(c, Map.of("cakupan_individu", 3.0 / 40, "porsi_penduduk_desil_1_4", 1.0 / 40, "tingkat_pembaruan", 0.0,
        "porsi_nik_valid", 1.0, "rt_per_operator_aktif", 2.0));
  }

  @Test
  void provincesAndTheNationAreSumsOfCountsAndTheirRatesComeFromThoseSums() {
    Row aceh = regions.get("PROVINSI 11 null");
    expect(aceh, Map.of("jumlah_kabkota", 2L, "penduduk", 150L, "rumah_tangga", 3L, "individu", 9L,
        "kabkota_tidak_pernah", 1L, "kabkota_50_persen_atau_lebih", 1L, "kelas_aktivitas", "50_PERSEN_ATAU_LEBIH",
        "tanggal_update_terakhir", date("2026-05-01")));
    expectRates(aceh, Map.of("cakupan_individu", 0.06, "tingkat_pembaruan", 2.0 / 3, "rt_per_operator_aktif", 3.0));

    Row nation = regions.get("NASIONAL null null");
    expect(nation, Map.of("jumlah_kabkota", 3L, "penduduk", 190L, "rumah_tangga", 5L, "individu", 12L, "individu_desil_1_4", 8L,
        "kabkota_tidak_pernah", 2L, "kabkota_di_bawah_50_persen", 0L, "kabkota_50_persen_atau_lebih", 1L,
        "anggota", 13L, "nik_valid", 10L));
    // 2 of 5 households updated in the window: the nation is under 50% although its only updating district is over.
    assertThat(nation.<String>getAs("kelas_aktivitas")).isEqualTo("DI_BAWAH_50_PERSEN");
    expectRates(nation, Map.of("cakupan_individu", 12.0 / 190, "porsi_penduduk_desil_1_4", 8.0 / 190, "tingkat_pembaruan", 0.4,
        "tingkat_padan", 8.0 / 13, "rt_per_operator_aktif", 2.5));
  }

  @Test
  void programRecipientsAndTargetsPerKabupaten() {
    expect(programs.get("PKH KABKOTA 11 11.01"), Map.of("satuan", "RUMAH_TANGGA", "penerima", 2L, "penerima_dalam_registri", 2L,
        "penerima_di_luar_desil_1_4", 1L, "penerima_di_luar_registri", 0L, "sasaran_desil_1_4", 2L, "sasaran_tidak_menerima", 1L));
    expectRates(programs.get("PKH KABKOTA 11 11.01"), Map.of("porsi_penerima_salah_sasaran", 0.5, "porsi_sasaran_tidak_menerima", 0.5));
    expect(programs.get("BPNT KABKOTA 11 11.01"), Map.of("penerima", 1L, "penerima_di_luar_desil_1_4", 0L, "sasaran_desil_1_4", 2L,
        "sasaran_tidak_menerima", 1L));
    expect(programs.get("SUBSIDI_LISTRIK KABKOTA 11 11.01"), Map.of("penerima", 1L, "sasaran_desil_1_4", 2L,
        "sasaran_tidak_menerima", 1L));
    // The same person listed twice by the program system is one recipient.
    expect(programs.get("PBI_JK KABKOTA 11 11.01"), Map.of("satuan", "INDIVIDU", "penerima", 2L, "penerima_di_luar_desil_1_4", 1L,
        "sasaran_desil_1_4", 7L, "sasaran_tidak_menerima", 6L));
    expect(programs.get("KIP KABKOTA 11 11.01"), Map.of("penerima", 2L, "penerima_di_luar_desil_1_4", 0L, "sasaran_desil_1_4", 2L,
        "sasaran_tidak_menerima", 1L));
    // Outside the registry, placed by the kabupaten/kota that issued the NIK.
    expect(programs.get("PBI_JK KABKOTA 12 12.01"), Map.of("penerima", 1L, "penerima_dalam_registri", 0L,
        "penerima_di_luar_registri", 1L, "sasaran_desil_1_4", 1L, "sasaran_tidak_menerima", 1L));
    expectRates(programs.get("PBI_JK KABKOTA 12 12.01"), Map.of("porsi_penerima_salah_sasaran", 1.0));
    expect(programs.get("PKH KABKOTA 12 12.01"), Map.of("penerima", 0L, "sasaran_desil_1_4", 0L));
    assertThat(programs.get("PKH KABKOTA 12 12.01").<Object>getAs("porsi_sasaran_tidak_menerima")).isNull();
    expect(programs.get("KIP KABKOTA 11 11.02"), Map.of("penerima", 0L, "sasaran_desil_1_4", 0L));
  }

  @Test
  void recipientsNoRegionCanBeGivenCountInTheNationOnly() {
    expect(programs.get("BPNT TANPA_WILAYAH null null"), Map.of("penerima", 1L, "penerima_di_luar_registri", 1L));
    expect(programs.get("PBI_JK TANPA_WILAYAH null null"), Map.of("penerima", 1L, "penerima_di_luar_registri", 1L));
    expect(programs.get("BPNT PROVINSI 11 null"), Map.of("penerima", 1L));
    expect(programs.get("BPNT NASIONAL null null"), Map.of("penerima", 2L, "penerima_di_luar_registri", 1L, "sasaran_desil_1_4", 3L,
        "sasaran_tidak_menerima", 2L));
    expect(programs.get("PBI_JK NASIONAL null null"), Map.of("penerima", 4L, "penerima_dalam_registri", 2L,
        "penerima_di_luar_desil_1_4", 1L, "penerima_di_luar_registri", 2L, "sasaran_desil_1_4", 8L, "sasaran_tidak_menerima", 7L));
    expectRates(programs.get("PBI_JK NASIONAL null null"), Map.of("porsi_penerima_salah_sasaran", 0.75,
        "porsi_sasaran_tidak_menerima", 7.0 / 8));
    // Per program: 3 kabupaten/kota, 2 provinces, the nation and the no-region row.
    assertThat(programs).hasSize(5 * 7);
  }

  private static void expect(Row row, Map<String, Object> values) {
    values.forEach((column, value) -> assertThat(row.<Object>getAs(column)).as(column).isEqualTo(value));
  }

  private static void expectRates(Row row, Map<String, Double> values) {
    values.forEach((column, value) -> assertThat(row.<Double>getAs(column)).as(column).isCloseTo(value, within(1e-12)));
  }

  private static Dataset<Row> frame(SparkSession spark, String schema, Row... rows) {
    return spark.createDataFrame(List.of(rows), StructType.fromDDL(schema));
  }

  private static Row row(Object... values) {
    return RowFactory.create(values);
  }

  private static Row member(long idArt, long idRt, boolean valid, List<String> reasons, Boolean sexMatches, boolean duplicateWithin,
      boolean duplicateAcross, String match, boolean dead, String born, String school, boolean pregnant) {
    List<Object> values = new ArrayList<>(List.of(idArt, idRt, valid));
    values.add(scala.jdk.javaapi.CollectionConverters.asScala(reasons).toSeq());
    values.addAll(Arrays.asList(sexMatches, duplicateWithin, duplicateAcross, match, dead, date(born), school, pregnant, "TIDAK"));
    return RowFactory.create(values.toArray());
  }

  private static Date date(String iso) {
    return iso == null ? null : Date.valueOf(iso);
  }
}
