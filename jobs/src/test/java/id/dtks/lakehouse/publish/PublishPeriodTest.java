package id.dtks.lakehouse.publish;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.coverage.CoveragePeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.spark.CuratedTable;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import id.dtks.lakehouse.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Two generated periods of 2,000 households, each run through to publish ({@link TestLakehouse#publishedPeriods()},
 * shared with the dashboard and notebook tests, which only read); November changes what verivali updated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(TestLocks.PUBLISHED_PERIODS)
@Order(1)
class PublishPeriodTest {
  private static final Period OCTOBER = TestLakehouse.PUBLISHED_PERIODS.get(0);
  private static final Period NOVEMBER = TestLakehouse.PUBLISHED_PERIODS.get(1);
  private static final PseudonymKey KEY = TestLakehouse.PSEUDONYM_KEY;
  private static SparkSession spark;
  private static Lakehouse lakehouse;
  private static DtksSettings settings;
  private static PublishPeriod.Result october;
  private static PublishPeriod.Result november;

  @BeforeAll
  static void publishTwoPeriods() {
    spark = TestSpark.session();
    TestLakehouse.PublishedPeriods periods = TestLakehouse.publishedPeriods();
    lakehouse = periods.lakehouse();
    settings = SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings();
    october = periods.published().get(OCTOBER);
    november = periods.published().get(NOVEMBER);
  }

  private static PublishPeriod.Result publish(Period period) {
    return PublishPeriod.in(spark, lakehouse).period(period).rules(settings.programs()).pseudonymKey(KEY).execute();
  }

  @Test
  @Order(1)
  void eachProgramsChangeFeedReportsExactlyWhoWasAddedAndRemovedBetweenThePeriods() {
    long octoberVersion = version(october, "gold." + PublishPeriod.PROGRAMS_TABLE);
    long novemberVersion = version(november, "gold." + PublishPeriod.PROGRAMS_TABLE);
    Map<String, String> after = units(programs().option("versionAsOf", novemberVersion));
    Difference difference = difference(octoberVersion, novemberVersion);
    Set<String> added = difference.added();
    Set<String> removed = difference.removed();
    Set<String> changed = difference.changed();
    // Verivali updated some households between the months: the programs must see it.
    assertThat(added.size() + removed.size() + changed.size()).isPositive();

    Dataset<Row> feed = spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", octoberVersion + 1)
        .option("endingVersion", novemberVersion).load(path(PublishPeriod.PROGRAMS_TABLE));
    assertThat(keys(feed.where(col("_change_type").equalTo("insert")))).containsExactlyInAnyOrderElementsOf(added);
    assertThat(keys(feed.where(col("_change_type").equalTo("delete")))).containsExactlyInAnyOrderElementsOf(removed);
    assertThat(keys(feed.where(col("_change_type").equalTo("update_postimage")))).containsExactlyInAnyOrderElementsOf(changed);
    assertThat(november.merges().get(PublishPeriod.PROGRAMS_TABLE).inserted()).isEqualTo(added.size());
    assertThat(november.merges().get(PublishPeriod.PROGRAMS_TABLE).deleted()).isEqualTo(removed.size());
    for (String program : List.of("PKH", "BPNT", "PBI_JK", "KIP", "SUBSIDI_LISTRIK")) {
      assertThat(after.keySet()).as(program).anyMatch(unit -> unit.startsWith(program + "/"));
    }
  }

  @Test
  @Order(2)
  void aConsumerReadsWhatItHasNotAcknowledgedAndOnlyThat() {
    ChangeFeed feed = ChangeFeed.of(spark, lakehouse, PublishPeriod.PROGRAMS_TABLE);
    long octoberVersion = version(october, "gold." + PublishPeriod.PROGRAMS_TABLE);
    long novemberVersion = version(november, "gold." + PublishPeriod.PROGRAMS_TABLE);
    assertThat(feed.watermark("pkh-payment")).isEmpty();
    // The payment system processed October's publication.
    feed.acknowledge(new ChangeFeed.Pending("pkh-payment", 0, octoberVersion, null));

    ChangeFeed.Pending pending = feed.pending("pkh-payment");
    assertThat(pending.fromVersion()).isEqualTo(octoberVersion + 1);
    assertThat(pending.toVersion()).isGreaterThanOrEqualTo(novemberVersion);
    Difference difference = difference(octoberVersion, novemberVersion);
    assertThat(keys(pending.changes().where(col("_change_type").equalTo("insert")))).containsExactlyInAnyOrderElementsOf(difference.added());
    assertThat(keys(pending.changes().where(col("_change_type").equalTo("delete")))).containsExactlyInAnyOrderElementsOf(difference.removed());

    feed.acknowledge(pending);
    assertThat(feed.watermark("pkh-payment")).contains(pending.toVersion());
    assertThat(feed.pending("pkh-payment").isEmpty()).isTrue();
    assertThat(feed.watermark("bpnt-payment")).isEmpty();
    assertThat(feed.pending("bpnt-payment").fromVersion()).isZero();
  }

  @Test
  @Order(3)
  void programTablesHoldPayableUnitsWithinTheRulesAndTheReason() {
    List<Row> rows = programs().load(path(PublishPeriod.PROGRAMS_TABLE)).collectAsList();
    assertThat(rows).isNotEmpty().allSatisfy(row -> {
      assertThat(row.<String>getAs("nik")).matches("[0-9]{16}");
      assertThat(row.<Integer>getAs("desil_nasional")).isBetween(1, 4);
      assertThat(row.<String>getAs("alasan")).startsWith("desil " + row.getAs("desil_nasional") + " <= 4");
    });
    assertThat(rows).filteredOn(r -> r.getAs("program").equals("PKH"))
        .allSatisfy(r -> assertThat(r.<String>getAs("alasan")).contains("; anggota: "));
    assertThat(rows).filteredOn(r -> r.getAs("program").equals("SUBSIDI_LISTRIK"))
        .allSatisfy(r -> assertThat(r.<String>getAs("alasan")).endsWith("; rumah tangga: DAYA_450_900"));
    // A household program has one unit per household, paid through one member.
    long bpnt = rows.stream().filter(r -> r.getAs("program").equals("BPNT")).count();
    long bpntHouseholds = rows.stream().filter(r -> r.getAs("program").equals("BPNT")).map(r -> r.<Long>getAs("id_rt")).distinct().count();
    assertThat(bpnt).isEqualTo(bpntHouseholds);
    // Eligible units with an invalid NIK are kept aside, not lost.
    Dataset<Row> withoutNik = spark.read().format("delta").load(path(PublishPeriod.WITHOUT_NIK_TABLE));
    assertThat(withoutNik.columns()).doesNotContain("nik");
    assertThat(withoutNik.count()).isPositive();
  }

  @Test
  @Order(4)
  void analystTablesHoldNoNameAndNoClearNik() {
    Set<String> niks = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Row row : spark.read().format("delta").load(lakehouse.table(Layer.SILVER, ConformPeriod.MEMBERS)).select("nik", "nkk", "nama")
        .collectAsList()) {
      Stream.of(row.getString(0), row.getString(1)).filter(v -> v != null && v.length() >= 10).forEach(niks::add);
      if (row.getString(2) != null) {
        names.add(row.getString(2));
      }
    }
    for (String table : List.of(PublishPeriod.HOUSEHOLDS_TABLE, PublishPeriod.MEMBERS_TABLE)) {
      Dataset<Row> rows = spark.read().format("delta").load(path(table));
      assertThat(rows.columns()).as(table).doesNotContain("nik", "nkk", "nama", "tanggal_lahir", "nik_bersih");
      List<String> text = new ArrayList<>();
      for (StructField field : rows.schema().fields()) {
        if (field.dataType().equals(DataTypes.StringType)) {
          text.add(field.name());
        }
      }
      // One assertion over the leaks, not one per cell: AssertJ's per-call cost made this test 26 s.
      List<String> leaks = new ArrayList<>();
      for (Row row : rows.select(text.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
          .collectAsList()) {
        for (int i = 0; i < row.size(); i++) {
          String value = row.getString(i);
          if (niks.contains(value) || names.contains(value)) {
            leaks.add(table + "." + text.get(i) + " = " + value);
          }
        }
      }
      assertThat(leaks).as("NIK, KK numbers and names in clear in " + table).isEmpty();
      assertThat(text).as("string columns checked in " + table).isNotEmpty();
    }
  }

  @Test
  @Order(5)
  void oneNikHasOnePseudonymAcrossPeriodsUnderOneKeyAndAnotherUnderAnotherKey() throws Exception {
    Dataset<Row> members = spark.read().format("delta").load(path(PublishPeriod.MEMBERS_TABLE));
    Map<Long, String> octoberPseudonyms = pseudonyms(members.where(col("periode").equalTo(OCTOBER.toString())));
    Map<Long, String> novemberPseudonyms = pseudonyms(members.where(col("periode").equalTo(NOVEMBER.toString())));
    Map<Long, String> clear = new HashMap<>();
    spark.read().format("delta").load(lakehouse.table(Layer.SILVER, ConformPeriod.MEMBERS)).where(col("nik_valid"))
        .select("id_art", "nik_bersih").collectAsList().forEach(r -> clear.put(r.getLong(0), r.getString(1)));
    assertThat(novemberPseudonyms).isNotEmpty();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.bytes(), "HmacSHA256"));
    Pseudonyms other = new Pseudonyms(new PseudonymKey("another key, also longer than thirty-two bytes".getBytes(StandardCharsets.UTF_8),
        "the test"));
    for (Map.Entry<Long, String> entry : novemberPseudonyms.entrySet()) {
      String nik = clear.get(entry.getKey());
      assertThat(entry.getValue()).isEqualTo(HexFormat.of().formatHex(mac.doFinal(nik.getBytes(StandardCharsets.UTF_8))));
      assertThat(other.pseudonym(nik)).isNotEqualTo(entry.getValue()).matches("[0-9a-f]{64}");
    }
    // Across periods: every member whose NIK is the same in both months has the same pseudonym in both.
    Map<Long, String> octoberNiks = bronzeNiks(OCTOBER);
    Map<Long, String> novemberNiks = bronzeNiks(NOVEMBER);
    int compared = 0;
    for (Map.Entry<Long, String> entry : novemberPseudonyms.entrySet()) {
      String nik = novemberNiks.get(entry.getKey());
      if (nik != null && nik.equals(octoberNiks.get(entry.getKey())) && octoberPseudonyms.containsKey(entry.getKey())) {
        assertThat(octoberPseudonyms.get(entry.getKey())).as("member %d", entry.getKey()).isEqualTo(entry.getValue());
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(1_000);
  }

  /** The NIK each member had in a period's raw export, normalised as conform does. */
  private static Map<Long, String> bronzeNiks(Period period) {
    Map<Long, String> niks = new HashMap<>();
    spark.read().format("delta").load(lakehouse.table(Layer.BRONZE, "anggota_rumah_tangga")).where(col("periode").equalTo(period.toString()))
        .select(col("id_art"), id.dtks.lakehouse.conform.IdentityNumberRules.normalized(col("nik"))).collectAsList()
        .forEach(r -> niks.put(r.getLong(0), r.getString(1)));
    return niks;
  }

  @Test
  @Order(6)
  void duckDbReadingTheSymlinkManifestsCountsWhatSparkCounts() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
      for (String table : List.of(PublishPeriod.PROGRAMS_TABLE, PublishPeriod.WITHOUT_NIK_TABLE, PublishPeriod.HOUSEHOLDS_TABLE,
          PublishPeriod.MEMBERS_TABLE, RankPeriod.TABLE, CoveragePeriod.REGIONS_TABLE, CoveragePeriod.PROGRAMS_TABLE)) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> manifests = Files.walk(Path.of(path(table)).resolve("_symlink_format_manifest"))) {
          for (Path manifest : manifests.filter(p -> p.getFileName().toString().equals("manifest")).toList()) {
            Files.readAllLines(manifest).stream().filter(line -> !line.isBlank()).map(line -> line.replaceFirst("^file:", ""))
                .forEach(files::add);
          }
        }
        assertThat(files).as(table).isNotEmpty();
        String list = String.join(", ", files.stream().map(f -> "'" + f.replace("'", "''") + "'").toList());
        try (ResultSet count = sql.executeQuery("SELECT count(*) FROM read_parquet([" + list + "])")) {
          count.next();
          assertThat(count.getLong(1)).as(table).isEqualTo(spark.read().format("delta").load(path(table)).count());
        }
      }
    }
  }

  @Test
  @Order(7)
  void publishingAPeriodAgainGivesTheSameRowsAndChangesNoProgramUnit() {
    List<Row> programsBefore = programs().load(path(PublishPeriod.PROGRAMS_TABLE)).drop("periode_masuk").collectAsList();
    List<Row> membersBefore = spark.read().format("delta").load(path(PublishPeriod.MEMBERS_TABLE))
        .where(col("periode").equalTo(NOVEMBER.toString())).collectAsList();
    PublishPeriod.Result again = publish(NOVEMBER);
    CuratedTable.Merged merged = again.merges().get(PublishPeriod.PROGRAMS_TABLE);
    assertThat(List.of(merged.inserted(), merged.updated(), merged.deleted())).containsOnly(0L);
    assertThat(programs().load(path(PublishPeriod.PROGRAMS_TABLE)).drop("periode_masuk").collectAsList())
        .containsExactlyInAnyOrderElementsOf(programsBefore);
    assertThat(spark.read().format("delta").load(path(PublishPeriod.MEMBERS_TABLE)).where(col("periode").equalTo(NOVEMBER.toString()))
        .collectAsList()).containsExactlyInAnyOrderElementsOf(membersBefore);
    Dataset<Row> manifest = spark.read().format("delta").load(lakehouse.table(Layer.OPS, PublishPeriod.MANIFEST_TABLE));
    assertThat(manifest.where(col("periode").equalTo(NOVEMBER.toString())).count()).isEqualTo(again.manifest().size());
    // The tables as published for October: the manifest's versions, read by time travel.
    Row octoberPrograms = manifest.where(col("periode").equalTo(OCTOBER.toString())
        .and(col("tabel").equalTo("gold." + PublishPeriod.PROGRAMS_TABLE))).first();
    assertThat(spark.read().format("delta").option("versionAsOf", octoberPrograms.<Long>getAs("versi"))
        .load(path(PublishPeriod.PROGRAMS_TABLE)).count()).isEqualTo(octoberPrograms.<Long>getAs("baris"));
  }

  @Test
  @Order(8)
  void aConstraintViolationFailsTheWriteAndLeavesThePublishedVersion() {
    CuratedTable table = CuratedTable.at(spark, path(PublishPeriod.PROGRAMS_TABLE), Set.of("nik"),
        Map.of("desil_nasional_1_10", "desil_nasional BETWEEN 1 AND 10"), null);
    long version = table.version();
    Dataset<Row> current = programs().load(path(PublishPeriod.PROGRAMS_TABLE))
        .drop(CuratedTable.ROW_HASH, "periode_masuk", "periode_berubah");
    Dataset<Row> broken = current.withColumn("desil_nasional", org.apache.spark.sql.functions.lit(11));
    assertThatThrownBy(() -> table.mergeCurrentState(broken, List.of("program", "id_rt", "id_art"), "2026-12"))
        .hasMessageContaining("desil_nasional_1_10");
    Dataset<Row> badNik = current.withColumn("nik", org.apache.spark.sql.functions.lit("3.27E+15"));
    assertThatThrownBy(() -> table.mergeCurrentState(badNik, List.of("program", "id_rt", "id_art"), "2026-12"))
        .hasMessageContaining("nik_16_angka");
    assertThat(table.version()).isEqualTo(version);
  }

  @Test
  @Order(9)
  void withoutAKeyInTheEnvironmentNothingIsPublished() {
    assertThatThrownBy(() -> id.dtks.lakehouse.publish.PublishCommand.requireKey(Map.of(), NOVEMBER))
        .hasMessageStartingWith("Cannot publish period 2026-11: the analyst tables need a pseudonym key and DTKS_PSEUDONYM_KEY is not set");
    assertThatThrownBy(() -> PseudonymKey.fromEnvironment(Map.of("DTKS_PSEUDONYM_KEY", "short")))
        .hasMessageContaining("needs at least 32");
  }

  @Test
  @Order(10)
  void theDataDictionaryListsEveryColumnOfEveryCuratedTable() throws Exception {
    String page = Files.readString(Path.of("docs/curated-tables.md"));
    Map<String, String> tables = Map.of(
        "gold." + PublishPeriod.PROGRAMS_TABLE, path(PublishPeriod.PROGRAMS_TABLE),
        "gold." + PublishPeriod.WITHOUT_NIK_TABLE, path(PublishPeriod.WITHOUT_NIK_TABLE),
        "gold." + PublishPeriod.HOUSEHOLDS_TABLE, path(PublishPeriod.HOUSEHOLDS_TABLE),
        "gold." + PublishPeriod.MEMBERS_TABLE, path(PublishPeriod.MEMBERS_TABLE),
        "ops." + PublishPeriod.MANIFEST_TABLE, lakehouse.table(Layer.OPS, PublishPeriod.MANIFEST_TABLE));
    tables.forEach((table, location) -> {
      assertThat(page).contains("## " + table);
      for (String column : spark.read().format("delta").load(location).columns()) {
        assertThat(page).as("%s.%s", table, column).contains("`" + column + "`");
      }
    });
  }

  /** Program units added, removed and changed between two versions, from the two snapshots (time travel), not the feed. */
  private record Difference(Set<String> added, Set<String> removed, Set<String> changed) {}

  private static Difference difference(long fromVersion, long toVersion) {
    Map<String, String> before = units(programs().option("versionAsOf", fromVersion));
    Map<String, String> after = units(programs().option("versionAsOf", toVersion));
    Set<String> added = new HashSet<>(after.keySet());
    added.removeAll(before.keySet());
    Set<String> removed = new HashSet<>(before.keySet());
    removed.removeAll(after.keySet());
    Set<String> changed = new HashSet<>();
    after.forEach((unit, content) -> {
      if (before.containsKey(unit) && !before.get(unit).equals(content)) {
        changed.add(unit);
      }
    });
    return new Difference(added, removed, changed);
  }

  private static org.apache.spark.sql.DataFrameReader programs() {
    return spark.read().format("delta");
  }

  private static Map<String, String> units(org.apache.spark.sql.DataFrameReader reader) {
    Map<String, String> units = new HashMap<>();
    for (Row row : reader.load(path(PublishPeriod.PROGRAMS_TABLE)).collectAsList()) {
      units.put(key(row), row.getAs("nik") + "|" + row.getAs("desil_nasional") + "|" + row.getAs("kode_desa") + "|" + row.getAs("alasan"));
    }
    return units;
  }

  private static List<String> keys(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(PublishPeriodTest::key).toList();
  }

  private static String key(Row row) {
    return row.getAs("program") + "/" + row.getAs("id_rt") + "/" + row.getAs("id_art");
  }

  private static Map<Long, String> pseudonyms(Dataset<Row> members) {
    Map<Long, String> pseudonyms = new HashMap<>();
    members.where(col("nik_pseudonim").isNotNull()).select("id_art", "nik_pseudonim").collectAsList()
        .forEach(r -> pseudonyms.put(r.getLong(0), r.getString(1)));
    return pseudonyms;
  }

  private static long version(PublishPeriod.Result result, String table) {
    return result.manifest().stream().filter(e -> e.table().equals(table)).findFirst().orElseThrow().version();
  }

  private static String path(String table) {
    return lakehouse.table(Layer.GOLD, table);
  }
}
