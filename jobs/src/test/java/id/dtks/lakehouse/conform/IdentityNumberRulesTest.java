package id.dtks.lakehouse.conform;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import id.dtks.lakehouse.testing.TestSpark;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every NIK and KK-number rule of DOMAIN.md, one row per case, against the real code history. */
@ResourceLock(TestLocks.SHARED_REFERENCE)
class IdentityNumberRulesTest {
  private static final LocalDate PERIOD_END = LocalDate.of(2026, 11, 30);
  private static SparkSession spark;
  private static Set<String> knownKabkota;

  @BeforeAll
  static void knownRegions() {
    spark = TestSpark.session();
    knownKabkota = spark.read().format("delta").load(TestLakehouse.withReference().table(Layer.REF, "kode_wilayah_histori"))
        .where(col("tingkat").equalTo("kabkota")).select("kode").as(Encoders.STRING()).collectAsList().stream()
        .map(code -> code.replace(".", "")).collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "NIK ''{0}'' -> [{1}]")
  @CsvSource(nullValues = "NULL", value = {
      "3273010508890001, ''",                     // a man born 5 Aug 1989 in Kota Bandung
      "3273014508890001, ''",                     // a woman: 40 added to the day
      "'3273 0145 0889 0001', ''",                // spaces, dots and dashes people type are stripped
      "3273.0145.0889.0001, ''",
      "3273-0145-0889-0001, ''",
      "9101016907850003, ''",                     // Kab. Merauke, a code of the 2016-2022 lists only
      "3273012902000001, ''",                     // 29 Feb 2000: 1900 was no leap year, 2000 was
      "3273016902000001, ''",                     // the same day for a woman
      "3273012902960001, ''",                     // 29 Feb 1996
      "3273012902010001, NIK_TANGGAL_TIDAK_VALID", // 29 Feb in neither 1901 nor 2001
      "3273013202900001, NIK_TANGGAL_TIDAK_VALID", // day 32
      "3273017202900001, NIK_TANGGAL_TIDAK_VALID", // day 72: 32 for a woman
      "3273010002900001, NIK_TANGGAL_TIDAK_VALID", // day 00
      "3273013102900001, NIK_TANGGAL_TIDAK_VALID", // 31 February
      "3273011513900001, NIK_TANGGAL_TIDAK_VALID", // month 13
      "3273010508890000, NIK_SERIAL_NOL",
      "9999010508890001, NIK_WILAYAH_TIDAK_DIKENAL", // no province 99
      "3299010508890001, NIK_WILAYAH_TIDAK_DIKENAL", // no kabupaten/kota 32.99 in any list
      "1111111111111111, NIK_PLACEHOLDER",
      "0000000000000000, NIK_PLACEHOLDER",
      "3.27301E+15, NIK_FORMAT_SPREADSHEET",       // a spreadsheet showed it in scientific notation
      "3.273014508890001E15, NIK_FORMAT_SPREADSHEET",
      "3273014508890001.0, NIK_FORMAT_SPREADSHEET", // a spreadsheet added .0
      "327301450889000, NIK_PANJANG_SALAH",
      "32730145088900017, NIK_PANJANG_SALAH",
      "3273O14508890001, NIK_BUKAN_ANGKA",         // the letter O for a zero
      "32730A450889000, NIK_BUKAN_ANGKA|NIK_PANJANG_SALAH",
      "9999013202900000, NIK_WILAYAH_TIDAK_DIKENAL|NIK_TANGGAL_TIDAK_VALID|NIK_SERIAL_NOL",
      "'', NIK_KOSONG",
      "'   ', NIK_KOSONG",
      "NULL, NIK_KOSONG"})
  void nikRules(String nik, String expected) {
    assertThat(reasons(IdentityNumberRules.nik(knownKabkota, PERIOD_END), nik)).isEqualTo(codes(expected));
  }

  @ParameterizedTest(name = "KK number ''{0}'' -> [{1}]")
  @CsvSource(nullValues = "NULL", value = {
      "3273011508890001, ''",
      "3273014508890001, NKK_TANGGAL_TIDAK_VALID", // no +40 on a family card: day 45 does not exist
      "3273011508890000, NKK_SERIAL_NOL",
      "3.27301E+15, NKK_FORMAT_SPREADSHEET",
      "NULL, NKK_KOSONG"})
  void familyCardRules(String number, String expected) {
    assertThat(reasons(IdentityNumberRules.familyCard(knownKabkota, PERIOD_END), number)).isEqualTo(codes(expected));
  }

  @ParameterizedTest(name = "sex of NIK ''{0}'' is {1}")
  @CsvSource(nullValues = "NULL", value = {
      "3273010508890001, L", "3273014508890001, P", "3273017102000001, P", "3273013102000001, L",
      "3273017202900001, NULL", "3.27301E+15, NULL"})
  void sexFromTheDay(String nik, String expected) {
    Dataset<Row> row = spark.createDataset(Collections.singletonList(nik), Encoders.STRING()).toDF("nik");
    assertThat(row.select(IdentityNumberRules.sexFromNik(col("nik"))).first().getString(0)).isEqualTo(expected);
  }

  private static List<String> reasons(IdentityNumberRules rules, String number) {
    Dataset<Row> row = spark.createDataset(Collections.singletonList(number), Encoders.STRING()).toDF("nik");
    return row.select(rules.reasons(col("nik"))).first().getList(0);
  }

  private static List<String> codes(String expected) {
    return expected.isEmpty() ? List.of() : Arrays.asList(expected.split("\\|"));
  }
}
