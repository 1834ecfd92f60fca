package id.dtks.lakehouse.generate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.config.DtksSettings.DefectRates;
import id.dtks.lakehouse.config.DtksSettings.GeneratorSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import id.dtks.lakehouse.testing.TestSpark;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

@ResourceLock(TestLocks.SHARED_REFERENCE)
class GenerateRawExportsTest {
  private static final Period PERIOD = Period.parse("2026-11");
  private static final long HOUSEHOLDS = 20_000;
  /** Rare defects raised so that each is counted in the hundreds, where a rate check means something. */
  private static final DefectRates DEFECTS =
      new DefectRates(0.17, 0.02, 0.02, 0.03, 0.02, 0.01, 0.02, 0.02, 0.01, 0.01, 0.01, 0.03);

  private static SparkSession spark;
  private static Lakehouse lakehouse;
  private static GenerateRawExports.Result result;

  @BeforeAll
  static void generate() {
    spark = TestSpark.session();
    lakehouse = TestLakehouse.withReferenceAndRaw("generator");
    result = GenerateRawExports.into(spark, lakehouse)
        .settings(defaults().withHouseholds(HOUSEHOLDS).withDefects(DEFECTS))
        .period(PERIOD)
        .partitions(3)
        .execute();
  }

  @Test
  void writesEveryExportAndReportsItsRows() {
    assertThat(result.rowsWritten()).containsOnlyKeys(RawExport.values());
    for (RawExport export : RawExport.values()) {
      Dataset<Row> rows = raw(export);
      assertThat(rows.schema()).as(export.folder()).isEqualTo(export.schema());
      assertThat(rows.count()).as(export.folder()).isEqualTo(result.rowsWritten().get(export)).isPositive();
    }
  }

  @Test
  void producesExactlyTheRequestedHouseholds() {
    Row ids = raw(RawExport.RUMAH_TANGGA)
        .agg(countDistinct("id_rt"), org.apache.spark.sql.functions.min("id_rt"), org.apache.spark.sql.functions.max("id_rt"))
        .first();

    assertThat(ids.getLong(0)).isEqualTo(HOUSEHOLDS);
    assertThat(ids.getLong(1)).isEqualTo(1);
    assertThat(ids.getLong(2)).isEqualTo(HOUSEHOLDS);
  }

  @Test
  void coversAll514KabupatenKotaInProportionToTheirPopulation() {
    Dataset<Row> perDistrict = raw(RawExport.RUMAH_TANGGA).dropDuplicates("id_rt")
        .groupBy(substring(col("kode_desa"), 1, 5).as("kode_kabkota")).count();
    Dataset<Row> population = ref("penduduk_kabkota");
    long total = population.agg(sum("penduduk_total")).first().getLong(0);

    List<Row> compared = population.join(perDistrict, col("kode_kabkota_2020").equalTo(col("kode_kabkota")), "left")
        .select(col("kode_kabkota_2020"), col("penduduk_total"), col("count")).collectAsList();

    assertThat(compared).hasSize(514).allSatisfy(row -> {
      assertThat(row.isNullAt(2)).as("households in %s", row.getString(0)).isFalse();
      // One household guaranteed to every district, the rest by largest remainder.
      double quota = 1 + (HOUSEHOLDS - 514) * (double) row.getLong(1) / total;
      assertThat((double) row.getLong(2)).as("households in %s", row.getString(0)).isBetween(quota - 1, quota + 1);
    });
  }

  @Test
  void sameSeedAndScaleGiveTheSameRowsWhateverThePartitioning() {
    GeneratorSettings small = defaults().withHouseholds(3_000).withDefects(DEFECTS);
    Lakehouse onePartition = TestLakehouse.withReferenceAndRaw("generator-1-partition");
    Lakehouse fivePartitions = TestLakehouse.withReferenceAndRaw("generator-5-partitions");
    GenerateRawExports.into(spark, onePartition).settings(small).period(PERIOD).partitions(1).execute();
    GenerateRawExports.into(spark, fivePartitions).settings(small).period(PERIOD).partitions(5).execute();

    for (RawExport export : RawExport.values()) {
      Dataset<Row> first = spark.read().parquet(onePartition.rawTable(PERIOD, export.folder()));
      Dataset<Row> second = spark.read().parquet(fivePartitions.rawTable(PERIOD, export.folder()));
      assertThat(first.count()).as(export.folder()).isPositive().isEqualTo(second.count());
      assertThat(first.exceptAll(second).count()).as(export.folder() + " rows only in the 1-partition run").isZero();
      assertThat(second.exceptAll(first).count()).as(export.folder() + " rows only in the 5-partition run").isZero();
    }
  }

  @Test
  void injectsEachDefectAtItsConfiguredRate() {
    Dataset<Row> households = raw(RawExport.RUMAH_TANGGA);
    Dataset<Row> members = raw(RawExport.ANGGOTA_RUMAH_TANGGA)
        .withColumn("household", floor(col("id_art").divide(100)))
        .withColumn("member", col("id_art").mod(100));
    long memberRows = members.count();
    long householdRows = households.dropDuplicates("id_rt").count();
    // A copied NIK shows only where the NIK it copies was itself exported clean.
    double sourceClean = 1 - DEFECTS.nikMissing() - DEFECTS.nikMalformed() - DEFECTS.nikSpreadsheet()
        - DEFECTS.nikDuplicateAcrossHouseholds();

    String spreadsheetForm = "^[0-9]\\.[0-9]+E\\+15$|^[0-9]{16}\\.0$";
    assertRate("nik missing", members.where(col("nik").isNull().or(col("nik").equalTo(""))).count(),
        memberRows, DEFECTS.nikMissing());
    assertRate("nik malformed", members.where(col("nik").notEqual("").and(col("nik").rlike(spreadsheetForm).unary_$bang())
            .and(col("nik").rlike("^[0-9]{16}$").unary_$bang().or(col("nik").rlike("^([0-9])\\1{15}$")))).count(),
        memberRows, DEFECTS.nikMalformed());
    assertRate("nik spreadsheet", members.where(col("nik").rlike(spreadsheetForm)).count(), memberRows, DEFECTS.nikSpreadsheet());

    // Empty NIKs are missing ones, not copies.
    Dataset<Row> heads = members.where(col("member").equalTo(1).and(col("nik").notEqual(""))).select(col("household").as("head_household"), col("nik").as("head_nik"));
    Dataset<Row> afterHead = members.where(col("member").geq(2));
    assertRate("nik copied from the head",
        afterHead.join(heads, col("household").equalTo(col("head_household")).and(col("nik").equalTo(col("head_nik")))).count(),
        afterHead.count(), DEFECTS.nikDuplicateWithinHousehold() * sourceClean);
    assertRate("nik copied from another household",
        members.join(heads, col("household").minus(1).equalTo(col("head_household")).and(col("nik").equalTo(col("head_nik")))).count(),
        memberRows, DEFECTS.nikDuplicateAcrossHouseholds() * sourceClean);

    Dataset<Row> dukcapil = raw(RawExport.PADAN_DUKCAPIL);
    assertRate("dead member still listed", dukcapil.where(col("status_hidup").equalTo("MENINGGAL")).count(),
        dukcapil.count(), DEFECTS.deadMemberListed());

    Dataset<Row> desa = ref("wilayah").where(col("tingkat").equalTo("desa")).select(col("kode"));
    assertRate("unknown region", households.dropDuplicates("id_rt").join(desa, col("kode_desa").equalTo(col("kode")), "left_anti").count(),
        householdRows, DEFECTS.unknownRegion());
    assertRate("impossible household value",
        households.dropDuplicates("id_rt").where(col("luas_lantai_m2").lt(0).or(col("jumlah_kamar").gt(col("luas_lantai_m2")))).count(),
        householdRows, DEFECTS.impossibleHouseholdValue());
    assertRate("duplicate household", households.count() - householdRows, householdRows, DEFECTS.duplicateHousehold());

    assertRate("impossible birth date", members.where(col("tanggal_lahir").gt(lit(PERIOD.referenceDate()))
            .or(col("tanggal_lahir").lt(lit(PERIOD.referenceDate().minusYears(115))))).count(),
        memberRows, DEFECTS.impossibleBirthDate());
    assertRate("member of an unknown household",
        members.join(households, members.col("id_rt").equalTo(households.col("id_rt")), "left_anti").count(),
        memberRows, DEFECTS.orphanMember());

    Dataset<Row> updates = raw(RawExport.VERIVALI);
    Dataset<Row> operators = raw(RawExport.OPERATOR);
    long afterRevocation = updates.join(operators, "id_operator")
        .where(col("status_akses").equalTo("DICABUT").and(col("tanggal_update").gt(col("tanggal_dicabut")))).count();
    assertRate("update by a revoked operator", afterRevocation, updates.count(), DEFECTS.updateByRevokedOperator());
  }

  @Test
  void niksFollowTheRealStructure() {
    Dataset<Row> niks = raw(RawExport.ANGGOTA_RUMAH_TANGGA).where(col("nik").rlike("^[0-9]{16}$"))
        .where(col("nik").rlike("^([0-9])\\1{15}$").unary_$bang())
        .select(col("nik"), col("jenis_kelamin"),
            substring(col("nik"), 1, 6).as("region"),
            substring(col("nik"), 7, 2).cast("int").as("day"),
            substring(col("nik"), 9, 2).cast("int").as("month"),
            substring(col("nik"), 13, 4).as("serial"));
    Set<String> knownKecamatan = ref("kode_wilayah_histori").where(col("tingkat").equalTo("kecamatan"))
        .select("kode").collectAsList().stream().map(r -> r.getString(0).replace(".", "")).collect(Collectors.toSet());

    List<Row> rows = niks.collectAsList();
    assertThat(rows).hasSizeGreaterThan(50_000);
    assertThat(rows).allSatisfy(row -> {
      int day = row.getInt(3);
      assertThat(day).as(row.getString(0)).matches(d -> (d >= 1 && d <= 31) || (d >= 41 && d <= 71));
      assertThat(row.getInt(4)).as(row.getString(0)).isBetween(1, 12);
      assertThat(row.getString(5)).as(row.getString(0)).isNotEqualTo("0000");
      assertThat(knownKecamatan).as(row.getString(0)).contains(row.getString(2));
    });
    long womenByNik = rows.stream().filter(r -> r.getInt(3) > 40).count();
    assertThat((double) womenByNik / rows.size()).isBetween(0.4, 0.6);

    // A copied NIK belongs to someone else and may carry the other sex. Copies whose source was
    // exported clean show as NIKs held twice; the rest (source exported with a defect) are held
    // once, so among NIKs held once at most those copies may disagree. A broken +40 rule would
    // make half of all NIKs disagree.
    Dataset<Row> heldOnce = niks.groupBy("nik").count().where(col("count").equalTo(1)).select("nik");
    long disagreeing = niks.join(heldOnce, "nik")
        .where(col("day").gt(40).notEqual(col("jenis_kelamin").equalTo("P"))).count();
    long members = raw(RawExport.ANGGOTA_RUMAH_TANGGA).count();
    double copiesOfDefectiveSources = members * (DEFECTS.nikDuplicateWithinHousehold() + DEFECTS.nikDuplicateAcrossHouseholds())
        * (DEFECTS.nikMissing() + DEFECTS.nikMalformed() + DEFECTS.nikSpreadsheet() + DEFECTS.nikDuplicateAcrossHouseholds());
    assertThat((double) disagreeing).isLessThan(copiesOfDefectiveSources);
  }

  @Test
  void looksLikeTheRegistry() {
    Dataset<Row> households = raw(RawExport.RUMAH_TANGGA).dropDuplicates("id_rt");
    double meanSize = households.agg(avg("jumlah_anggota")).first().getDouble(0);
    assertThat(meanSize).as("mean household size").isBetween(3.5, 4.2);

    long districtsUpdating = raw(RawExport.VERIVALI).join(households, "id_rt")
        .select(substring(col("kode_desa"), 1, 5)).distinct().count();
    assertThat(514 - districtsUpdating).as("districts that never updated (92 of 514 in 2020)").isBetween(60L, 130L);

    Dataset<Row> dukcapil = raw(RawExport.PADAN_DUKCAPIL);
    double matched = (double) dukcapil.where(col("hasil_padan").equalTo("PADAN")).count() / dukcapil.count();
    assertThat(matched).as("Dukcapil match rate of the NIKs sent").isBetween(0.8, 0.95);

    Map<String, Long> perProgram = raw(RawExport.PENERIMA_PROGRAM).groupBy("program").agg(count(lit(1))).collectAsList()
        .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(perProgram).containsOnlyKeys("PKH", "BPNT", "PBI_JK", "KIP", "SUBSIDI_LISTRIK");
    long outsideRegistry = raw(RawExport.PENERIMA_PROGRAM).where(col("id_rt").geq(GenerateRawExports.OUTSIDE_REGISTRY_HOUSEHOLD_IDS)).count();
    assertThat(outsideRegistry).isEqualTo(Math.round(HOUSEHOLDS * 0.002));

    long surveyed = raw(RawExport.SURVEI_KONSUMSI).count();
    assertRate("survey sample", surveyed, HOUSEHOLDS, 0.005);
  }

  @Test
  void proxiesFollowTheHiddenConsumption() {
    Dataset<Row> joined = raw(RawExport.SURVEI_KONSUMSI).join(raw(RawExport.RUMAH_TANGGA).dropDuplicates("id_rt"), "id_rt");
    Map<String, Double> meanByFloor = joined.groupBy("jenis_lantai").agg(avg("pengeluaran_per_kapita")).collectAsList()
        .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getDouble(1)));

    assertThat(meanByFloor.get("KERAMIK")).isGreaterThan(meanByFloor.get("SEMEN_BATA"));
    assertThat(meanByFloor.get("SEMEN_BATA")).isGreaterThan(meanByFloor.get("TANAH"));
  }

  /**
   * The count of a defect lies within four standard deviations of a binomial draw of {@code rate}
   * over {@code rows}, plus 2 for the rare natural coincidence (two people sharing a NIK by chance).
   */
  private static void assertRate(String defect, long observed, long rows, double rate) {
    double expected = rows * rate;
    double tolerance = 4 * Math.sqrt(rows * rate * (1 - rate)) + 2;
    assertThat((double) observed).as("%s: %d of %d rows, expected %.0f", defect, observed, rows, expected)
        .isBetween(expected - tolerance, expected + tolerance);
  }

  private static Dataset<Row> raw(RawExport export) {
    return spark.read().parquet(lakehouse.rawTable(PERIOD, export.folder()));
  }

  private static Dataset<Row> ref(String table) {
    return spark.read().format("delta").load(lakehouse.table(Layer.REF, table));
  }

  private static GeneratorSettings defaults() {
    return SettingsLoader.load(Optional.empty(), new Properties(), Map.of()).settings().generator();
  }
}
