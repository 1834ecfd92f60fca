package id.dtks.lakehouse.prelist;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.config.DtksSettings.PrelistSettings;
import id.dtks.lakehouse.testing.TestSpark;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Selection reasons on hand-made households of period 2026-11 (24-month window: an update after
 * 2024-11-30 counts). Operator 10 is active, 11 revoked.
 * <pre>
 *   1  desil 3, all in order                           DESIL_SASARAN
 *   2  desil 8, all in order                           (not selected)
 *   3  desil 9, a living member's NIK invalid           NIK_TIDAK_VALID
 *   4  desil 7, a living member not matched by Dukcapil NIK_TIDAK_PADAN
 *   5  desil 10, a dead member (invalid, unmatched NIK) ANGGOTA_MENINGGAL only: the dead are not checked for NIK
 *   6  not ranked, last updated 2020-05-01             TIDAK_DIPERBARUI
 *   7  desil 6, never updated, by a revoked operator   DESIL_SASARAN, TIDAK_DIPERBARUI, OPERATOR_DICABUT
 * </pre>
 */
class PrelistSelectionTest {
  private static final LocalDate REFERENCE_DATE = LocalDate.of(2026, 11, 30);
  private static final PrelistSettings DEFAULTS =
      new PrelistSettings(6, PrelistReason.checkCodes(), 24, 500, 5, false);
  private static PrelistSelection.Inputs inputs;

  @BeforeAll
  static void households() {
    SparkSession spark = TestSpark.session();
    Date recent = Date.valueOf("2026-01-01");
    StructType householdSchema = new StructType().add("id_rt", DataTypes.LongType).add("kode_provinsi", DataTypes.StringType)
        .add("kode_kabkota", DataTypes.StringType).add("kode_kecamatan", DataTypes.StringType)
        .add("kode_desa", DataTypes.StringType).add("tanggal_update_terakhir", DataTypes.DateType)
        .add("id_operator_terakhir", DataTypes.LongType);
    Dataset<Row> households = spark.createDataFrame(List.of(
        household(1, recent, 10L), household(2, recent, 10L), household(3, recent, 10L), household(4, recent, 10L),
        household(5, recent, 10L), household(6, Date.valueOf("2020-05-01"), 10L), household(7, null, 11L)), householdSchema);
    StructType memberSchema = new StructType().add("id_rt", DataTypes.LongType).add("nik_valid", DataTypes.BooleanType)
        .add("status_padan", DataTypes.StringType).add("meninggal", DataTypes.BooleanType);
    Dataset<Row> members = spark.createDataFrame(List.of(
        member(1, true, "PADAN", false), member(2, true, "PADAN", false), member(3, true, "PADAN", false),
        member(3, false, "PADAN", false), member(4, true, "TIDAK_PADAN", false), member(4, true, "PADAN", false),
        member(5, true, "PADAN", false), member(5, false, "BELUM_DIPADANKAN", true), member(6, true, "PADAN", false),
        member(7, true, "PADAN", null)), memberSchema);
    StructType rankingSchema = new StructType().add("id_rt", DataTypes.LongType).add("desil_nasional", DataTypes.IntegerType);
    Dataset<Row> ranking = spark.createDataFrame(List.of(RowFactory.create(1L, 3), RowFactory.create(2L, 8),
        RowFactory.create(3L, 9), RowFactory.create(4L, 7), RowFactory.create(5L, 10), RowFactory.create(7L, 6)), rankingSchema);
    StructType operatorSchema = new StructType().add("id_operator", DataTypes.LongType).add("status_akses", DataTypes.StringType);
    Dataset<Row> operators = spark.createDataFrame(List.of(RowFactory.create(10L, "AKTIF"), RowFactory.create(11L, "DICABUT")),
        operatorSchema);
    inputs = new PrelistSelection.Inputs(households, members, ranking, operators, REFERENCE_DATE);
  }

  private static Row household(long id, Date lastUpdate, Long operator) {
    return RowFactory.create(id, "11", "11.01", "11.01.01", "11.01.01.2001", lastUpdate, operator);
  }

  private static Row member(long household, boolean nikValid, String match, Boolean dead) {
    return RowFactory.create(household, nikValid, match, dead);
  }

  @Test
  void everyHouseholdCarriesEveryReasonThatAppliesAndOnlyThose() {
    assertThat(reasons(DEFAULTS)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        1L, List.of("DESIL_SASARAN"),
        3L, List.of("NIK_TIDAK_VALID"),
        4L, List.of("NIK_TIDAK_PADAN"),
        5L, List.of("ANGGOTA_MENINGGAL"),
        6L, List.of("TIDAK_DIPERBARUI"),
        7L, List.of("DESIL_SASARAN", "TIDAK_DIPERBARUI", "OPERATOR_DICABUT"))));
  }

  @Test
  void theDesilRangeAndTheChecksAreSettings() {
    PrelistSettings poorest40Only = new PrelistSettings(4, List.of(), 24, 500, 5, false);
    PrelistSettings checksOnly = new PrelistSettings(0, List.of("OPERATOR_DICABUT", "NIK_TIDAK_VALID"), 24, 500, 5, false);
    PrelistSettings longWindow = new PrelistSettings(0, List.of("TIDAK_DIPERBARUI"), 120, 500, 5, false);

    assertThat(reasons(poorest40Only)).containsExactlyEntriesOf(Map.of(1L, List.of("DESIL_SASARAN")));
    assertThat(reasons(checksOnly)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        3L, List.of("NIK_TIDAK_VALID"), 7L, List.of("OPERATOR_DICABUT"))));
    assertThat(reasons(longWindow)).containsExactlyEntriesOf(Map.of(7L, List.of("TIDAK_DIPERBARUI")));
  }

  private static Map<Long, List<String>> reasons(PrelistSettings rules) {
    Map<Long, List<String>> reasons = new TreeMap<>();
    for (Row row : PrelistSelection.select(inputs, rules).collectAsList()) {
      reasons.put(row.getAs("id_rt"), row.getList(row.fieldIndex("alasan")));
    }
    return reasons;
  }
}
