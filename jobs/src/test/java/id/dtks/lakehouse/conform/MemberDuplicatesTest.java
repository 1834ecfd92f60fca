package id.dtks.lakehouse.conform;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.testing.TestSpark;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Duplicated NIKs within and across households, on the narrow projection conform joins back to the members. */
class MemberDuplicatesTest {
  private static final LocalDate PERIOD_END = LocalDate.of(2026, 11, 30);
  private static final Set<String> KOTA_BANDUNG = Set.of("3273");
  private static SparkSession spark;
  private static Dataset<Row> members;

  @BeforeAll
  static void members() {
    spark = TestSpark.session();
    members = spark.sql("""
        SELECT * FROM VALUES
          (1L, 10L, '3273010508890001'),     -- twice in household 10 and once more in 11
          (2L, 10L, '3273010508890001'),
          (3L, 11L, '3273-0105-0889-0001'),  -- the same NIK as typed with dashes
          (4L, 12L, '3273014508890001'),     -- held once
          (5L, 12L, '1111111111111111'),     -- a placeholder held twice: not a valid NIK, so no duplicate
          (6L, 13L, '1111111111111111'),
          (7L, 14L, CAST(NULL AS STRING)),   -- no NIK, twice in one household
          (8L, 14L, CAST(NULL AS STRING)),
          (9L, 15L, '3273012902000001'),     -- twice in household 15 only
          (10L, 15L, '3273012902000001'),
          (11L, 16L, '3273016902000001'),    -- once in each of two households
          (12L, 17L, '3273016902000001')
        AS t(id_art, id_rt, nik)""");
  }

  @Test
  void flagsOnlyMembersWhoseValidNikAnotherMemberHolds() {
    Map<Long, String> flags = new TreeMap<>();
    for (Row row : ConformPeriod.nikDuplicates(members, IdentityNumberRules.nik(KOTA_BANDUNG, PERIOD_END)).collectAsList()) {
      flags.put(row.getLong(0), "dalam_rt=" + row.getBoolean(1) + " antar_rt=" + row.getBoolean(2));
    }

    assertThat(flags).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        1L, "dalam_rt=true antar_rt=true",
        2L, "dalam_rt=true antar_rt=true",
        3L, "dalam_rt=false antar_rt=true",
        9L, "dalam_rt=true antar_rt=false",
        10L, "dalam_rt=true antar_rt=false",
        11L, "dalam_rt=false antar_rt=true",
        12L, "dalam_rt=false antar_rt=true")));
  }

  @Test
  void everyMemberLeavesOnceWithBothFlagsSet() {
    Dataset<Row> bronze = members.selectExpr("id_art", "id_rt", "nik", "'3273010101010001' AS nkk", "'nama' AS nama",
        "'L' AS jenis_kelamin", "DATE'1989-08-05' AS tanggal_lahir", "'KEPALA' AS hubungan_krt", "'SD' AS pendidikan_tertinggi",
        "'TIDAK' AS status_sekolah", "'BEKERJA' AS status_pekerjaan", "false AS disabilitas", "false AS hamil");
    Dataset<Row> dukcapil = spark.sql("SELECT 1L AS id_art, 'PADAN' AS hasil_padan, 'HIDUP' AS status_hidup, "
        + "CAST(NULL AS DATE) AS tanggal_meninggal");

    List<Row> conformed = ConformPeriod.members(bronze, dukcapil, IdentityNumberRules.nik(KOTA_BANDUNG, PERIOD_END),
        IdentityNumberRules.familyCard(KOTA_BANDUNG, PERIOD_END)).orderBy("id_art")
        .select(col("id_art"), col("nik_duplikat_dalam_rt"), col("nik_duplikat_antar_rt"), col("status_padan")).collectAsList();

    assertThat(conformed).extracting(r -> r.getLong(0)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    assertThat(conformed).extracting(r -> r.get(1) + "/" + r.get(2)).containsExactly(
        "true/true", "true/true", "false/true", "false/false", "false/false", "false/false", "false/false", "false/false",
        "true/false", "true/false", "false/true", "false/true");
    assertThat(conformed).extracting(r -> r.getString(3)).startsWith("PADAN", "BELUM_DIPADANKAN");
  }
}
