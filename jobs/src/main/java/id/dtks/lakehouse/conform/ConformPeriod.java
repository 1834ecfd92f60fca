package id.dtks.lakehouse.conform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.ingest.IngestPeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.Writes;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Conforms a period's bronze tables into the silver layer: members with NIK and KK checks, sex
 * against the NIK, duplicated NIKs, Dukcapil status; households with their regions (Kemendagri and
 * BPS codes), living size, latest verivali status and whether they can be ranked. Silver holds the
 * registry's current state: each period is merged in (unchanged rows stay as they are, changed
 * rows are updated, rows missing from the period are marked DIHAPUS), with Change Data Feed on so
 * that readers can take only what changed.
 */
public final class ConformPeriod {
  public static final String JOB = "conform";
  public static final String HOUSEHOLDS = "rumah_tangga";
  public static final String MEMBERS = "anggota_rumah_tangga";
  public static final String ACTIVE = "AKTIF";
  public static final String REMOVED = "DIHAPUS";
  /** Verivali statuses that keep a household in the registry but out of the ranking. */
  static final List<String> NOT_RANKED_STATUSES = List.of("PINDAH", "TIDAK_DITEMUKAN", "MENINGGAL");
  private static final String ROW_HASH = "hash_baris";
  private static final String CHANGED_IN = "periode_berubah";
  private static final String STATE = "status_data";
  /** Silver members' columns, in their table order. */
  private static final List<String> MEMBER_COLUMNS = List.of("id_art", "id_rt", "nik", "nik_alasan", "nkk", "nkk_alasan",
      "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_krt", "pendidikan_tertinggi", "status_sekolah", "status_pekerjaan",
      "disabilitas", "hamil", "status_padan", "meninggal", "tanggal_meninggal", "nik_valid", "nik_bersih", "nkk_valid",
      "jenis_kelamin_nik", "jenis_kelamin_cocok", "nik_duplikat_dalam_rt", "nik_duplikat_antar_rt");

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Period period;
  private Progress progress;

  private ConformPeriod(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static ConformPeriod into(SparkSession spark, Lakehouse lakehouse) {
    return new ConformPeriod(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public ConformPeriod period(Period reportingPeriod) {
    this.period = Objects.requireNonNull(reportingPeriod, "period");
    return this;
  }

  public ConformPeriod progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /** What one MERGE into a silver table did. */
  public record TableChanges(String table, long sourceRows, long inserted, long updated, long removed, long version)
      implements Progress.RowCount {
    @Override
    public long rows() {
      return sourceRows;
    }
  }

  public record Result(Period period, List<TableChanges> changes) implements Progress.RowCount {
    @Override
    public long rows() {
      return changes.stream().mapToLong(TableChanges::sourceRows).sum();
    }
  }

  public Result execute() {
    if (period == null) {
      throw new IllegalStateException("Cannot conform: the period is required");
    }
    Progress steps = progress != null ? progress : new Progress(spark, JOB);
    Instant started = Instant.now();
    requireIngested();
    requireInOrder();

    Set<String> knownKabkota = knownKabkotaDigits();
    IdentityNumberRules nikRules = IdentityNumberRules.nik(knownKabkota, period.referenceDate());
    IdentityNumberRules familyCardRules = IdentityNumberRules.familyCard(knownKabkota, period.referenceDate());
    Dataset<Row> members = members(bronze(RawExport.ANGGOTA_RUMAH_TANGGA), bronze(RawExport.PADAN_DUKCAPIL), nikRules, familyCardRules);
    // Living size straight from bronze: going through the members above would run the NIK rules again.
    Dataset<Row> households = households(bronze(RawExport.RUMAH_TANGGA),
        livingMembers(bronze(RawExport.ANGGOTA_RUMAH_TANGGA), bronze(RawExport.PADAN_DUKCAPIL)), bronze(RawExport.VERIVALI));

    List<TableChanges> changes = new ArrayList<>();
    changes.add(steps.step("merge silver." + MEMBERS, () -> merge(MEMBERS, "id_art", members)));
    changes.add(steps.step("merge silver." + HOUSEHOLDS, () -> merge(HOUSEHOLDS, "id_rt", households)));

    List<RunLog.Entry> entries = changes.stream()
        .map(c -> new RunLog.Entry("silver." + c.table(), c.sourceRows(), c.sourceRows(), 0)).toList();
    RunLog.append(spark, lakehouse, UUID.randomUUID().toString(), JOB, period, "", entries, RunLog.OK, started);
    return new Result(period, changes);
  }

  /**
   * Members: the bronze rows plus identity checks, duplicates and Dukcapil status.
   *
   * <p>The wide member rows (names, dates, every answer) cross the shuffle once, for the join on
   * {@code id_art}. The duplicate checks group by NIK, a different key, so they run on a narrow
   * projection ({@link #nikDuplicates}) that joins back on {@code id_art}: at 41.7 M households,
   * grouping the wide rows by NIK as well took three shuffles of every member and more than the
   * machine's 51 GB of free disk.
   */
  static Dataset<Row> members(Dataset<Row> bronzeMembers, Dataset<Row> dukcapil, IdentityNumberRules nikRules,
      IdentityNumberRules familyCardRules) {
    Column nikValid = size(col("nik_alasan")).equalTo(0);
    return bronzeMembers
        .join(dukcapil.select(col("id_art"), col("hasil_padan"), col("status_hidup"), col("tanggal_meninggal")), "id_art", "left")
        .join(nikDuplicates(bronzeMembers, nikRules), "id_art", "left")
        .select(
            col("id_art"), col("id_rt"), col("nik"), nikRules.reasons(col("nik")).as("nik_alasan"),
            col("nkk"), familyCardRules.reasons(col("nkk")).as("nkk_alasan"),
            col("nama"), col("jenis_kelamin"), col("tanggal_lahir"), col("hubungan_krt"), col("pendidikan_tertinggi"),
            col("status_sekolah"), col("status_pekerjaan"), col("disabilitas"), col("hamil"),
            coalesce(col("hasil_padan"), lit("BELUM_DIPADANKAN")).as("status_padan"),
            coalesce(col("status_hidup").equalTo("MENINGGAL"), lit(false)).as("meninggal"),
            col("tanggal_meninggal"),
            coalesce(col("dalam_rt"), lit(false)).as("nik_duplikat_dalam_rt"),
            coalesce(col("antar_rt"), lit(false)).as("nik_duplikat_antar_rt"))
        .withColumn("nik_valid", nikValid)
        .withColumn("nik_bersih", when(nikValid, IdentityNumberRules.normalized(col("nik"))))
        .withColumn("nkk_valid", size(col("nkk_alasan")).equalTo(0))
        .withColumn("jenis_kelamin_nik", when(nikValid, IdentityNumberRules.sexFromNik(col("nik"))))
        .withColumn("jenis_kelamin_cocok", when(nikValid, col("jenis_kelamin_nik").equalTo(col("jenis_kelamin"))))
        .select(MEMBER_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /**
   * The members whose valid NIK another member also holds: {@code id_art} with {@code dalam_rt}
   * (held twice in the member's own household) and {@code antar_rt} (held in another household).
   * Only valid NIKs take part, as three narrow columns; the NIK-wide window comes first so that
   * the household-and-NIK count reuses its partitioning instead of shuffling again.
   */
  static Dataset<Row> nikDuplicates(Dataset<Row> bronzeMembers, IdentityNumberRules nikRules) {
    Column nikValid = size(nikRules.reasons(col("nik"))).equalTo(0);
    Column households = size(collect_set(col("id_rt")).over(Window.partitionBy(col("nik_bersih"))));
    Column holders = count(lit(1)).over(Window.partitionBy(col("nik_bersih"), col("id_rt")));
    return bronzeMembers
        .select(col("id_art"), col("id_rt"), when(nikValid, IdentityNumberRules.normalized(col("nik"))).as("nik_bersih"))
        .where(col("nik_bersih").isNotNull())
        .withColumn("antar_rt", households.gt(1))
        .withColumn("dalam_rt", holders.gt(1))
        .where(col("antar_rt").or(col("dalam_rt")))
        .select("id_art", "dalam_rt", "antar_rt");
  }

  /** Members listed and members alive (not reported dead by Dukcapil), per household. */
  static Dataset<Row> livingMembers(Dataset<Row> bronzeMembers, Dataset<Row> dukcapil) {
    Dataset<Row> dead = dukcapil.where(col("status_hidup").equalTo("MENINGGAL")).select(col("id_art"), lit(true).as("meninggal"));
    return bronzeMembers.select("id_art", "id_rt").join(dead, "id_art", "left").groupBy("id_rt").agg(
        count(lit(1)).as("jumlah_anggota_terdaftar"),
        sum(when(col("meninggal").isNotNull(), 0).otherwise(1)).cast("int").as("jumlah_anggota_hidup"));
  }

  /** Households: regions, living size, latest verivali status, rankability. */
  Dataset<Row> households(Dataset<Row> bronzeHouseholds, Dataset<Row> size, Dataset<Row> verivali) {
    Dataset<Row> latest = verivali.groupBy("id_rt").agg(
        max_by(struct(col("status_rt"), col("tanggal_update"), col("id_operator")), struct(col("tanggal_update"), col("id_update"))).as("terakhir"),
        count(lit(1)).as("jumlah_update"));
    Dataset<Row> kabkotaBps = ref("kabkota_bps").select(col("kode_kabkota").as("_kabkota"), col("kode_bps").as("kode_kabkota_bps"));
    Dataset<Row> provinsiBps = ref("provinsi_bps").select(col("kode_provinsi").as("_provinsi"), col("kode_bps").as("kode_provinsi_bps"));
    Column living = coalesce(col("jumlah_anggota_hidup"), lit(0));
    Column status = col("terakhir.status_rt");
    Column notRankedBecause = when(status.isin(NOT_RANKED_STATUSES.toArray()), status)
        .when(living.equalTo(0), lit("TANPA_ANGGOTA_HIDUP"));
    String[] proxies = {"luas_lantai_m2", "jumlah_kamar", "jenis_lantai", "jenis_dinding", "jenis_atap", "sumber_air_minum",
        "fasilitas_bab", "sumber_penerangan", "bahan_bakar_memasak", "status_kepemilikan_rumah", "punya_lemari_es", "punya_ac",
        "punya_sepeda_motor", "punya_mobil", "punya_emas_10_gram", "punya_lahan"};
    List<Column> columns = new ArrayList<>(List.of(
        col("id_rt"), col("kode_desa"),
        substring(col("kode_desa"), 1, 8).as("kode_kecamatan"),
        substring(col("kode_desa"), 1, 5).as("kode_kabkota"),
        substring(col("kode_desa"), 1, 2).as("kode_provinsi"),
        col("kode_kabkota_bps"), col("kode_provinsi_bps"),
        col("tanggal_pendataan"),
        col("jumlah_anggota").as("jumlah_anggota_tercatat"),
        coalesce(col("jumlah_anggota_terdaftar"), lit(0L)).as("jumlah_anggota_terdaftar"),
        living.as("jumlah_anggota_hidup")));
    Arrays.stream(proxies).forEach(p -> columns.add(col(p)));
    columns.addAll(List.of(
        status.as("status_verivali"),
        col("terakhir.tanggal_update").as("tanggal_update_terakhir"),
        col("terakhir.id_operator").as("id_operator_terakhir"),
        coalesce(col("jumlah_update"), lit(0L)).as("jumlah_update"),
        notRankedBecause.isNull().as("dapat_diperingkat"),
        notRankedBecause.as("alasan_tidak_diperingkat")));
    return bronzeHouseholds
        .join(size, "id_rt", "left")
        .join(latest, "id_rt", "left")
        .join(broadcast(kabkotaBps), substring(col("kode_desa"), 1, 5).equalTo(col("_kabkota")), "left")
        .join(broadcast(provinsiBps), substring(col("kode_desa"), 1, 2).equalTo(col("_provinsi")), "left")
        .select(columns.toArray(Column[]::new));
  }

  /**
   * Merges {@code source} into the silver table: rows whose content hash changed are updated,
   * new keys inserted, keys missing from the period marked DIHAPUS. Unchanged rows are not
   * touched, so the change feed shows exactly what the period changed, and a re-run changes nothing.
   * Into an empty table (the first period) every row is an insert: written as it is, not merged.
   */
  private TableChanges merge(String table, String key, Dataset<Row> conformed) {
    String path = Writes.qualified(spark, lakehouse.table(Layer.SILVER, table));
    Column[] content = Arrays.stream(conformed.columns()).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> source = conformed
        .withColumn(ROW_HASH, xxhash64(content))
        .withColumn(STATE, lit(ACTIVE))
        .withColumn(CHANGED_IN, lit(period.toString()));
    StructType nullable = new StructType(Arrays.stream(source.schema().fields())
        .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new));
    // Its readers (rank, coverage, publish, prelist) take the whole table: no column statistics.
    DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(nullable)
        .property("delta.enableChangeDataFeed", "true");
    for (Map.Entry<String, String> property : Writes.NO_COLUMN_STATISTICS.entrySet()) {
      builder = builder.property(property.getKey(), property.getValue());
    }
    builder.execute();
    OptionalLong firstLoad = Writes.appendIfEmpty(source, path);
    if (firstLoad.isPresent()) {
      return new TableChanges(table, firstLoad.getAsLong(), firstLoad.getAsLong(), 0, 0, DeltaTable.forPath(spark, path)
          .history(1).select("version").first().getLong(0));
    }
    DeltaTable.forPath(spark, path).as("silver")
        .merge(source.as("periode"), "silver." + key + " = periode." + key)
        .whenMatched("silver." + ROW_HASH + " <> periode." + ROW_HASH + " OR silver." + STATE + " <> '" + ACTIVE + "'")
        .updateAll()
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource("silver." + STATE + " = '" + ACTIVE + "'")
        .update(Map.of(STATE, lit(REMOVED), CHANGED_IN, lit(period.toString())))
        .execute();
    Row last = DeltaTable.forPath(spark, path).history(1).select("version", "operationMetrics").first();
    Map<String, String> metrics = last.getJavaMap(1);
    return new TableChanges(table, metric(metrics, "numSourceRows"), metric(metrics, "numTargetRowsInserted"),
        metric(metrics, "numTargetRowsMatchedUpdated"), metric(metrics, "numTargetRowsNotMatchedBySourceUpdated"), last.getLong(0));
  }

  private static long metric(Map<String, String> metrics, String name) {
    return Long.parseLong(metrics.getOrDefault(name, "0"));
  }

  private void requireIngested() {
    long finished = runLog().where(col("job").equalTo(IngestPeriod.JOB).and(col("periode").equalTo(period.toString()))
        .and(col("status").equalTo(RunLog.OK))).count();
    if (finished == 0) {
      throw new IllegalStateException("Cannot conform period " + period + ": ops.run_log has no finished ingest of it. "
          + "Run 'dtks ingest --period " + period + "' first");
    }
  }

  private void requireInOrder() {
    Row latest = runLog().where(col("job").equalTo(JOB).and(col("status").equalTo(RunLog.OK))).agg(max("periode")).first();
    if (!latest.isNullAt(0) && Period.parse(latest.getString(0)).compareTo(period) > 0) {
      throw new IllegalStateException("Cannot conform period " + period + ": silver already holds period " + latest.getString(0)
          + ", and periods are merged in order. To rebuild silver, delete " + lakehouse.table(Layer.SILVER, "")
          + " and conform from the first period");
    }
  }

  private Dataset<Row> runLog() {
    try {
      return spark.read().format("delta").load(lakehouse.table(Layer.OPS, RunLog.TABLE));
    } catch (Exception e) { // AnalysisException is thrown undeclared by Scala
      throw new IllegalStateException("Cannot conform period " + period + ": there is no ops.run_log yet. "
          + "Run 'dtks ingest --period " + period + "' first", e);
    }
  }

  /** Province + kabupaten/kota codes (PPKK) of every Kemendagri list: bounded (about 540). */
  private Set<String> knownKabkotaDigits() {
    return new TreeSet<>(ref("kode_wilayah_histori").where(col("tingkat").equalTo("kabkota")).select("kode")
        .as(Encoders.STRING()).collectAsList().stream().map(code -> code.replace(".", "")).toList());
  }

  private Dataset<Row> bronze(RawExport export) {
    return spark.read().format("delta").load(lakehouse.table(Layer.BRONZE, export.folder()))
        .where(col("periode").equalTo(period.toString()));
  }

  private Dataset<Row> ref(String table) {
    return spark.read().format("delta").load(lakehouse.table(Layer.REF, table));
  }
}
