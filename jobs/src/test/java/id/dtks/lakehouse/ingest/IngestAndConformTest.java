package id.dtks.lakehouse.ingest;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.config.DtksSettings.DefectRates;
import id.dtks.lakehouse.config.DtksSettings.GeneratorSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.generate.GenerateRawExports;
import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Ingest and conform on a generated registry with raised defect rates: reconciliation, the
 * quarantine against defects found in the raw data independently, idempotent re-runs, a second
 * period through the change feed, and batches that break the contract. The tests run in order:
 * the later ones build on the periods the earlier ones loaded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(4)
class IngestAndConformTest {
  private static final Period NOVEMBER = Period.parse("2026-11");
  private static final Period DECEMBER = Period.parse("2026-12");
  private static final DefectRates DEFECTS =
      new DefectRates(0.17, 0.02, 0.02, 0.02, 0.02, 0.01, 0.02, 0.02, 0.01, 0.01, 0.01, 0.03);

  private static SparkSession spark;
  private static Lakehouse lakehouse;
  private static GeneratorSettings generator;
  private static IngestPeriod.Result november;

  @BeforeAll
  static void loadNovember() {
    spark = TestSpark.session();
    lakehouse = TestLakehouse.freshWithReference("ingest-conform");
    generator = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings().generator()
        .withHouseholds(5_000).withDefects(DEFECTS);
    GenerateRawExports.into(spark, lakehouse).settings(generator).period(NOVEMBER).partitions(2).execute();
    november = IngestPeriod.into(spark, lakehouse).period(NOVEMBER).execute();
    ConformPeriod.into(spark, lakehouse).period(NOVEMBER).execute();
  }

  @Test
  @Order(1)
  void everyExportReconcilesAndTheRunLogSaysSo() {
    assertThat(november.counts()).hasSize(RawExport.values().length).allSatisfy(entry -> {
      assertThat(entry.read()).as(entry.table()).isPositive().isEqualTo(entry.accepted() + entry.quarantined());
      assertThat(bronze(entry.table(), NOVEMBER).count()).as(entry.table()).isEqualTo(entry.accepted());
      assertThat(quarantine(NOVEMBER).where(col("tabel_sumber").equalTo(entry.table())).count()).isEqualTo(entry.quarantined());
    });
    List<Row> logged = table(Layer.OPS, RunLog.TABLE)
        .where(col("job").equalTo("ingest").and(col("id_batch").equalTo(november.batchId()))).collectAsList();
    assertThat(logged).hasSize(RawExport.values().length)
        .allSatisfy(row -> assertThat(row.<String>getAs("status")).isEqualTo(RunLog.OK));
  }

  @Test
  @Order(1)
  void bronzeAndSilverFilesCountTheirRowsButKeepNoColumnStatistics() {
    String path = lakehouse.table(Layer.BRONZE, RawExport.ANGGOTA_RUMAH_TANGGA.folder());
    Row detail = DeltaTable.forPath(spark, path).detail().first();
    assertThat(detail.<String, String>getJavaMap(detail.fieldIndex("properties")))
        .containsEntry("delta.dataSkippingNumIndexedCols", "0");
    List<String> stats = spark.read().json(path + "/_delta_log/*.json").where(col("add").isNotNull())
        .select(col("add.stats")).as(Encoders.STRING()).collectAsList();
    assertThat(stats).isNotEmpty().allSatisfy(fileStats -> assertThat(fileStats).contains("\"numRecords\"")
        .doesNotContain("id_art", "nik", "tanggal_lahir"));
    Row silver = DeltaTable.forPath(spark, lakehouse.table(Layer.SILVER, ConformPeriod.MEMBERS)).detail().first();
    assertThat(silver.<String, String>getJavaMap(silver.fieldIndex("properties")))
        .containsEntry("delta.dataSkippingNumIndexedCols", "0");
  }

  @Test
  @Order(2)
  void quarantineHoldsTheDefectsFoundInTheRawData() {
    Dataset<Row> households = raw(RawExport.RUMAH_TANGGA, NOVEMBER);
    Dataset<Row> members = raw(RawExport.ANGGOTA_RUMAH_TANGGA, NOVEMBER);
    Dataset<Row> desa = table(Layer.REF, "wilayah").where(col("tingkat").equalTo("desa")).select("kode");
    long distinctHouseholds = households.dropDuplicates("id_rt").count();

    assertThat(reason("rumah_tangga", QuarantineReason.KODE_DESA_TIDAK_DIKENAL))
        .isEqualTo(households.join(desa, col("kode_desa").equalTo(col("kode")), "left_anti").count())
        .isCloseTo(Math.round(distinctHouseholds * DEFECTS.unknownRegion()), within(distinctHouseholds, DEFECTS.unknownRegion()));
    assertThat(reason("rumah_tangga", QuarantineReason.NILAI_TIDAK_MUNGKIN))
        .isEqualTo(households.where(col("luas_lantai_m2").leq(0).or(col("jumlah_kamar").gt(col("luas_lantai_m2")))).count());
    assertThat(reason("rumah_tangga", QuarantineReason.KUNCI_GANDA)).isEqualTo(households.count() - distinctHouseholds).isPositive();
    assertThat(reason("anggota_rumah_tangga", QuarantineReason.TANGGAL_LAHIR_TIDAK_MUNGKIN))
        .isEqualTo(members.where(col("tanggal_lahir").gt(lit(NOVEMBER.referenceDate()))
            .or(col("tanggal_lahir").lt(lit(NOVEMBER.referenceDate().minusYears(115))))).count()).isPositive();
    assertThat(reason("anggota_rumah_tangga", QuarantineReason.RUMAH_TANGGA_TIDAK_DIKENAL))
        .isEqualTo(members.join(households, members.col("id_rt").equalTo(households.col("id_rt")), "left_anti").count())
        .isPositive();
    Dataset<Row> updates = raw(RawExport.VERIVALI, NOVEMBER);
    long afterRevocation = updates.join(raw(RawExport.OPERATOR, NOVEMBER), "id_operator")
        .where(col("status_akses").equalTo("DICABUT").and(col("tanggal_update").gt(col("tanggal_dicabut")))).count();
    assertThat(reason("verivali", QuarantineReason.OPERATOR_DICABUT)).isEqualTo(afterRevocation)
        .isCloseTo(Math.round(updates.count() * DEFECTS.updateByRevokedOperator()), within(updates.count(), DEFECTS.updateByRevokedOperator()));
    // Members of a quarantined household follow it; programs paying people outside the registry are kept.
    assertThat(reason("anggota_rumah_tangga", QuarantineReason.RUMAH_TANGGA_DIKARANTINA)).isPositive();
    assertThat(quarantine(NOVEMBER).where(col("tabel_sumber").equalTo("penerima_program")).count()).isZero();
    Row sample = quarantine(NOVEMBER).where(col("tabel_sumber").equalTo("rumah_tangga")).first();
    assertThat(sample.<String>getAs("kunci_baris")).startsWith("id_rt=");
    assertThat(sample.<String>getAs("isi_baris")).contains("\"kode_desa\"");
  }

  @Test
  @Order(3)
  void silverFlagsEveryNikDefectWithoutDroppingThePerson() {
    Dataset<Row> silverMembers = table(Layer.SILVER, ConformPeriod.MEMBERS);
    Dataset<Row> acceptedRaw = bronze("anggota_rumah_tangga", NOVEMBER);

    assertThat(silverMembers.count()).isEqualTo(acceptedRaw.count());
    assertThat(silverMembers.where(array_contains(col("nik_alasan"), "NIK_KOSONG")).count())
        .isEqualTo(acceptedRaw.where(col("nik").isNull().or(col("nik").equalTo(""))).count());
    assertThat(silverMembers.where(array_contains(col("nik_alasan"), "NIK_FORMAT_SPREADSHEET")).count())
        .isEqualTo(acceptedRaw.where(col("nik").rlike("E\\+15$|\\.0$")).count());
    assertThat(silverMembers.where(col("nik_duplikat_antar_rt")).count()).isPositive();
    assertThat(silverMembers.where(col("nik_duplikat_dalam_rt")).count()).isPositive();
    Dataset<Row> dead = bronze("padan_dukcapil", NOVEMBER).where(col("status_hidup").equalTo("MENINGGAL"));
    assertThat(silverMembers.where(col("meninggal")).count()).isEqualTo(dead.count()).isPositive();

    Dataset<Row> silverHouseholds = table(Layer.SILVER, ConformPeriod.HOUSEHOLDS);
    assertThat(silverHouseholds.count()).isEqualTo(bronze("rumah_tangga", NOVEMBER).count());
    assertThat(silverHouseholds.where(col("kode_kabkota_bps").isNull().or(col("kode_provinsi_bps").isNull())).count()).isZero();
    assertThat(silverHouseholds.where(col("dapat_diperingkat").unary_$bang()).select("alasan_tidak_diperingkat").distinct()
        .as(Encoders.STRING()).collectAsList())
        .isSubsetOf("PINDAH", "TIDAK_DITEMUKAN", "MENINGGAL", "TANPA_ANGGOTA_HIDUP")
        .contains("PINDAH");
  }

  @Test
  @Order(4)
  void runningAPeriodAgainGivesTheSameTables() {
    List<Row> bronzeBefore = bronze("anggota_rumah_tangga", NOVEMBER).drop("waktu_muat").collectAsList();
    long silverVersion = version(ConformPeriod.HOUSEHOLDS);

    IngestPeriod.Result again = IngestPeriod.into(spark, lakehouse).period(NOVEMBER).execute();
    ConformPeriod.Result conformedAgain = ConformPeriod.into(spark, lakehouse).period(NOVEMBER).execute();

    assertThat(again.batchId()).isEqualTo(november.batchId());
    assertThat(again.counts()).isEqualTo(november.counts());
    assertThat(bronze("anggota_rumah_tangga", NOVEMBER).drop("waktu_muat").collectAsList())
        .containsExactlyInAnyOrderElementsOf(bronzeBefore);
    assertThat(conformedAgain.changes()).allSatisfy(change -> {
      assertThat(change.inserted()).as(change.table()).isZero();
      assertThat(change.updated()).as(change.table()).isZero();
      assertThat(change.removed()).as(change.table()).isZero();
    });
    assertThat(changeFeed(ConformPeriod.HOUSEHOLDS, silverVersion + 1).count()).isZero();
  }

  @Test
  @Order(5)
  void aLaterPeriodUpdatesExactlyTheHouseholdsVerivaliChanged() {
    long novemberVersion = version(ConformPeriod.HOUSEHOLDS);
    long membersVersion = version(ConformPeriod.MEMBERS);
    GenerateRawExports.into(spark, lakehouse).settings(generator).period(DECEMBER).partitions(2).execute();
    IngestPeriod.into(spark, lakehouse).period(DECEMBER).execute();
    ConformPeriod.into(spark, lakehouse).period(DECEMBER).execute();

    Set<Long> changed = ids(changeFeed(ConformPeriod.HOUSEHOLDS, novemberVersion + 1)
        .where(col("_change_type").equalTo("update_postimage")), "id_rt");
    // Every update of December in the raw export, also those quarantined (an update entered by a
    // revoked operator is rejected, but the household row the source system exports reflects it).
    Set<Long> updatedInDecember = ids(raw(RawExport.VERIVALI, DECEMBER)
        .where(col("tanggal_update").geq(lit(DECEMBER.month().atDay(1))))
        .join(bronze("rumah_tangga", DECEMBER), "id_rt", "left_semi"), "id_rt");
    assertThat(changed).isNotEmpty().isEqualTo(updatedInDecember);
    assertThat(changeFeed(ConformPeriod.HOUSEHOLDS, novemberVersion + 1)
        .where(col("_change_type").isin("insert", "delete")).count()).isZero();
    assertThat(changeFeed(ConformPeriod.MEMBERS, membersVersion + 1).count()).isZero();
  }

  @Test
  @Order(6)
  void householdsMissingFromAPeriodAreMarkedRemoved() throws IOException {
    Period january = Period.parse("2027-01");
    GenerateRawExports.into(spark, lakehouse).settings(generator).period(january).partitions(2).execute();
    // The January export lacks households 1 to 5 (and so, their members and updates are orphans).
    String households = lakehouse.rawTable(january, RawExport.RUMAH_TANGGA.folder());
    Dataset<Row> kept = spark.read().parquet(households).where(col("id_rt").gt(5));
    kept.write().mode(SaveMode.Overwrite).parquet(households + "-kept");
    replaceFolder(households + "-kept", households);
    IngestPeriod.into(spark, lakehouse).period(january).execute();

    ConformPeriod.Result result = ConformPeriod.into(spark, lakehouse).period(january).execute();

    assertThat(result.changes()).filteredOn(c -> c.table().equals(ConformPeriod.HOUSEHOLDS)).singleElement()
        .satisfies(c -> assertThat(c.removed()).isEqualTo(5));
    assertThat(ids(table(Layer.SILVER, ConformPeriod.HOUSEHOLDS).where(col("status_data").equalTo(ConformPeriod.REMOVED)), "id_rt"))
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
    assertThatThrownBy(() -> ConformPeriod.into(spark, lakehouse).period(DECEMBER).execute())
        .hasMessageStartingWith("Cannot conform period 2026-12: silver already holds period 2027-01, and periods are merged in order");
  }

  @Test
  @Order(7)
  void aMissingColumnFailsTheBatchBeforeAnythingIsWritten() throws IOException {
    Lakehouse drifted = copyOfNovember("drift-missing-column");
    String members = drifted.rawTable(NOVEMBER, RawExport.ANGGOTA_RUMAH_TANGGA.folder());
    rewrite(members, spark.read().parquet(members).drop("nik"));

    assertFailsWithoutWrites(drifted, "Cannot ingest period 2026-11: file " + onlyFile(members)
        + " of export anggota_rumah_tangga has no column 'nik' (expected STRING)");
  }

  @Test
  @Order(8)
  void aColumnOfAnotherTypeFailsTheBatchBeforeAnythingIsWritten() throws IOException {
    Lakehouse drifted = copyOfNovember("drift-wrong-type");
    String households = drifted.rawTable(NOVEMBER, RawExport.RUMAH_TANGGA.folder());
    rewrite(households, spark.read().parquet(households).withColumn("luas_lantai_m2", col("luas_lantai_m2").cast("string")));

    assertFailsWithoutWrites(drifted, "Cannot ingest period 2026-11: file " + onlyFile(households)
        + " of export rumah_tangga: column 'luas_lantai_m2' is STRING, expected DOUBLE");
  }

  @Test
  @Order(9)
  void anUnreadableFileFailsTheBatchBeforeAnythingIsWritten() throws IOException {
    Lakehouse drifted = copyOfNovember("drift-unreadable");
    Path garbage = Path.of(drifted.rawTable(NOVEMBER, RawExport.VERIVALI.folder()), "part-99999-broken.parquet");
    Files.writeString(garbage, "this is not parquet");

    assertThatThrownBy(() -> IngestPeriod.into(spark, drifted).period(NOVEMBER).execute())
        .isInstanceOf(RawContractException.class)
        .hasMessageStartingWith("Cannot ingest period 2026-11: file file:" + garbage + " of export verivali cannot be read as parquet: ");
  }

  @Test
  @Order(10)
  void extraColumnsAreReportedAndLeftOut() throws IOException {
    Lakehouse drifted = copyOfNovember("drift-extra-column");
    String survey = drifted.rawTable(NOVEMBER, RawExport.SURVEI_KONSUMSI.folder());
    rewrite(survey, spark.read().parquet(survey).withColumn("catatan_enumerator", lit("ok")));

    IngestPeriod.Result result = IngestPeriod.into(spark, drifted).period(NOVEMBER).execute();

    assertThat(result.extraColumns().get(RawExport.SURVEI_KONSUMSI)).containsExactly("catatan_enumerator");
    assertThat(bronze("survei_konsumsi", NOVEMBER).columns()).doesNotContain("catatan_enumerator");
  }

  private void assertFailsWithoutWrites(Lakehouse drifted, String message) {
    Map<String, Long> versions = Arrays.stream(RawExport.values())
        .collect(Collectors.toMap(RawExport::folder, e -> version(Layer.BRONZE, e.folder())));
    long runs = table(Layer.OPS, RunLog.TABLE).count();

    assertThatThrownBy(() -> IngestPeriod.into(spark, drifted).period(NOVEMBER).execute())
        .isInstanceOf(RawContractException.class)
        .hasMessage(message);

    assertThat(Arrays.stream(RawExport.values()).collect(Collectors.toMap(RawExport::folder, e -> version(Layer.BRONZE, e.folder()))))
        .isEqualTo(versions);
    assertThat(table(Layer.OPS, RunLog.TABLE).count()).isEqualTo(runs);
  }

  /** The lakehouse's tables with a raw folder holding a copy of November's exports. */
  private static Lakehouse copyOfNovember(String name) throws IOException {
    Lakehouse copy = TestLakehouse.withRawFolder(lakehouse, name);
    Path from = Path.of(lakehouse.rawPeriod(NOVEMBER));
    Path to = Path.of(copy.rawPeriod(NOVEMBER));
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    return copy;
  }

  private static void rewrite(String folder, Dataset<Row> rows) throws IOException {
    rows.coalesce(1).write().mode(SaveMode.Overwrite).parquet(folder + "-rewritten");
    replaceFolder(folder + "-rewritten", folder);
  }

  private static void replaceFolder(String from, String to) throws IOException {
    try (Stream<Path> old = Files.walk(Path.of(to))) {
      old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.move(Path.of(from), Path.of(to));
  }

  private static String onlyFile(String folder) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(folder))) {
      return "file:" + files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow()
          .toAbsolutePath();
    }
  }

  private static long reason(String table, QuarantineReason reason) {
    return quarantine(NOVEMBER).where(col("tabel_sumber").equalTo(table).and(array_contains(col("alasan"), reason.name()))).count();
  }

  private static org.assertj.core.data.Offset<Long> within(long rows, double rate) {
    return org.assertj.core.data.Offset.offset(Math.round(4 * Math.sqrt(rows * rate * (1 - rate))) + 2);
  }

  private static Set<Long> ids(Dataset<Row> rows, String column) {
    return rows.select(column).as(Encoders.LONG()).collectAsList().stream().collect(Collectors.toSet());
  }

  private static Dataset<Row> changeFeed(String silverTable, long fromVersion) {
    return spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", fromVersion)
        .load(lakehouse.table(Layer.SILVER, silverTable));
  }

  private static long version(String silverTable) {
    return version(Layer.SILVER, silverTable);
  }

  private static long version(Layer layer, String name) {
    return DeltaTable.forPath(spark, lakehouse.table(layer, name)).history(1).select("version").first().getLong(0);
  }

  private static Dataset<Row> raw(RawExport export, Period period) {
    return spark.read().parquet(lakehouse.rawTable(period, export.folder()));
  }

  private static Dataset<Row> bronze(String table, Period period) {
    return table(Layer.BRONZE, table).where(col("periode").equalTo(period.toString()));
  }

  private static Dataset<Row> quarantine(Period period) {
    return bronze(IngestPeriod.QUARANTINE_TABLE, period);
  }

  private static Dataset<Row> table(Layer layer, String name) {
    return spark.read().format("delta").load(lakehouse.table(layer, name));
  }
}
