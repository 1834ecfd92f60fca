package id.dtks.lakehouse.publish;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.config.DtksSettings.ProgramRule;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.testing.TestSpark;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Five hand-built households, the expected units worked out by hand (period's last day 2026-11-30):
 * h1 desil 1 with a toddler and a schoolchild on 450 VA; h2 desil 3 with a 70-year-old head and a
 * dead pregnant member; h3 desil 5; h4 desil 2 on 900 VA whose head died and whose other member has
 * no valid NIK; h5 desil 4 in another district with a 16-year-old in school.
 */
class ProgramEligibilityTest {
  private static final LocalDate LAST_DAY = LocalDate.of(2026, 11, 30);
  private static Dataset<Row> households;
  private static Dataset<Row> members;
  private static Dataset<Row> ranking;
  private static Map<String, ProgramRule> defaults;

  @BeforeAll
  static void fixture() {
    SparkSession spark = TestSpark.session();
    households = frame(spark, "id_rt BIGINT, kode_provinsi STRING, kode_kabkota STRING, kode_kecamatan STRING, kode_desa STRING, "
            + "kode_provinsi_bps STRING, kode_kabkota_bps STRING, sumber_penerangan STRING",
        household(1, "11.01", "PLN_450VA"), household(2, "11.01", "PLN_1300VA"), household(3, "11.01", "PLN_450VA"),
        household(4, "11.01", "PLN_900VA"), household(5, "12.01", "BUKAN_PLN"));
    members = frame(spark, "id_art BIGINT, id_rt BIGINT, nik_bersih STRING, hubungan_krt STRING, meninggal BOOLEAN, tanggal_lahir DATE, "
            + "status_sekolah STRING, hamil BOOLEAN, disabilitas STRING",
        member(11, 1, "1101010101860001", "KEPALA", false, "1986-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(12, 1, "1101015503230002", "ANAK", false, "2023-03-15", "BELUM_SEKOLAH", false),
        member(13, 1, "1101010303160003", "ANAK", false, "2016-03-03", "MASIH_SEKOLAH", false),
        member(21, 2, "1101010101560001", "KEPALA", false, "1956-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(22, 2, "1101014101960002", "PASANGAN", true, "1996-01-01", "TIDAK_SEKOLAH_LAGI", true),
        member(31, 3, "1101010101800001", "KEPALA", false, "1980-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(41, 4, null, "PASANGAN", false, "1996-06-01", "TIDAK_SEKOLAH_LAGI", false),
        member(42, 4, "1101010101500001", "KEPALA", true, "1950-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(51, 5, "1201010101960001", "KEPALA", false, "1996-01-01", "TIDAK_SEKOLAH_LAGI", false),
        member(52, 5, "1201010101100002", "ANAK", false, "2010-01-01", "MASIH_SEKOLAH", false));
    ranking = frame(spark, "id_rt BIGINT, desil_nasional INT, persentil_nasional INT, skor DOUBLE",
        RowFactory.create(1L, 1, 5, 10.1), RowFactory.create(2L, 3, 25, 10.9), RowFactory.create(3L, 5, 45, 11.5),
        RowFactory.create(4L, 2, 15, 10.5), RowFactory.create(5L, 4, 35, 11.2));
    defaults = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings().programs();
  }

  @Test
  void theDefaultRulesOfDomainMd() {
    Map<String, List<String>> units = units(defaults);
    assertThat(units.get("BPNT")).containsExactlyInAnyOrder("1/11", "2/21", "4/41", "5/51");
    assertThat(units.get("PKH")).containsExactlyInAnyOrder("1/11", "2/21", "5/51");
    assertThat(units.get("SUBSIDI_LISTRIK")).containsExactlyInAnyOrder("1/11", "4/41");
    // Every living member of desil 1-4 households; the dead are not.
    assertThat(units.get("PBI_JK")).containsExactlyInAnyOrder("1/11", "1/12", "1/13", "2/21", "4/41", "5/51", "5/52");
    assertThat(units.get("KIP")).containsExactlyInAnyOrder("1/13", "5/52");
  }

  @Test
  void everyUnitSaysWhyAndCarriesTheNikToPayOrNone() {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : ProgramEligibility.units(households, members, ranking, defaults, LAST_DAY).collectAsList()) {
      rows.put(row.getAs("program") + " " + row.getAs("id_rt") + "/" + row.getAs("id_art"), row);
    }
    assertThat(rows.get("PKH 1/11").<String>getAs("alasan")).isEqualTo("desil 1 <= 4; anggota: BALITA, SEKOLAH_6_21");
    assertThat(rows.get("PKH 2/21").<String>getAs("alasan")).isEqualTo("desil 3 <= 4; anggota: LANSIA_60");
    assertThat(rows.get("SUBSIDI_LISTRIK 4/41").<String>getAs("alasan")).isEqualTo("desil 2 <= 4; rumah tangga: DAYA_450_900");
    assertThat(rows.get("BPNT 5/51").<String>getAs("alasan")).isEqualTo("desil 4 <= 4");
    assertThat(rows.get("BPNT 1/11").<String>getAs("nik")).isEqualTo("1101010101860001");
    assertThat(rows.get("BPNT 1/11").<String>getAs("satuan")).isEqualTo("RUMAH_TANGGA");
    assertThat(rows.get("KIP 5/52").<String>getAs("satuan")).isEqualTo("INDIVIDU");
    // h4's head died: the living member is paid, but her NIK is not valid, so the unit cannot be paid yet.
    assertThat(rows.get("BPNT 4/41").<String>getAs("nik")).isNull();
    assertThat(rows.get("BPNT 5/51").<String>getAs("kode_kabkota")).isEqualTo("12.01");
  }

  @Test
  void aQuotaKeepsTheLowestPercentilesOfEachKabupatenAndALowerBoundTakesFewer() {
    Map<String, ProgramRule> rules = new HashMap<>(defaults);
    rules.put("BPNT", new ProgramRule(4, List.of(), List.of(), 1));
    rules.put("PBI_JK", new ProgramRule(2, List.of(), List.of(), 0));
    rules.put("KIP", new ProgramRule(4, List.of("SEKOLAH_6_21"), List.of(), 1));
    Map<String, List<String>> units = units(rules);
    // 11.01: h1 (percentile 5) before h4 (15) and h2 (25); 12.01: h5 alone.
    assertThat(units.get("BPNT")).containsExactlyInAnyOrder("1/11", "5/51");
    assertThat(units.get("PBI_JK")).containsExactlyInAnyOrder("1/11", "1/12", "1/13", "4/41");
    assertThat(units.get("KIP")).containsExactlyInAnyOrder("1/13", "5/52");
    assertThat(ProgramEligibility.units(households, members, ranking, rules, LAST_DAY).where("program = 'BPNT'")
        .collectAsList()).allSatisfy(r -> assertThat(r.<String>getAs("alasan")).endsWith("; dalam kuota 1 per kabupaten/kota"));
  }

  private static Map<String, List<String>> units(Map<String, ProgramRule> rules) {
    return ProgramEligibility.units(households, members, ranking, rules, LAST_DAY).collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.<String>getAs("program"),
            Collectors.mapping(r -> r.getAs("id_rt") + "/" + r.getAs("id_art"), Collectors.toList())));
  }

  private static Dataset<Row> frame(SparkSession spark, String schema, Row... rows) {
    return spark.createDataFrame(List.of(rows), StructType.fromDDL(schema));
  }

  private static Row household(long id, String kabkota, String lighting) {
    return RowFactory.create(id, kabkota.substring(0, 2), kabkota, kabkota + ".01", kabkota + ".01.2001", "xx", "xxxx", lighting);
  }

  private static Row member(long id, long household, String nik, String relation, boolean dead, String born, String school,
      boolean pregnant) {
    return RowFactory.create(id, household, nik, relation, dead, Date.valueOf(born), school, pregnant, "TIDAK");
  }
}
