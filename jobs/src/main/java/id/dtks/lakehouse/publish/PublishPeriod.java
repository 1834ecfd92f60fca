package id.dtks.lakehouse.publish;

import id.dtks.lakehouse.spark.CuratedTable;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.year;

import id.dtks.lakehouse.cli.BuildInfo;
import id.dtks.lakehouse.config.DtksSettings.ProgramRule;
import id.dtks.lakehouse.conform.ConformPeriod;
import id.dtks.lakehouse.coverage.CoveragePeriod;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.spark.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code dtks publish}: the curated tables of a ranked period, and the publication manifest that
 * names the version of every table the period was published from and to.
 *
 * <ul>
 *   <li>{@code gold.kelayakan_program}: who each program takes, with the clear NIK of the member
 *       paid (program-grade personal data), as the current state: merged each period, so its change
 *       feed gives each program exactly who was added, removed or changed;
 *   <li>{@code gold.kelayakan_tanpa_nik}: eligible units whose NIK is not valid: not payable until
 *       it is fixed, kept so that no eligible household disappears unseen;
 *   <li>{@code gold.analis_rumah_tangga}, {@code gold.analis_anggota_rumah_tangga}: households
 *       with their ranking and members, one partition per period, without names, NIKs as keyed
 *       pseudonyms, birth dates reduced to the year;
 *   <li>{@code ops.publikasi}: per period, every input and output table with its version and rows.
 * </ul>
 */
public final class PublishPeriod {
  public static final String JOB = "publish";
  public static final String PROGRAMS_TABLE = "kelayakan_program";
  public static final String WITHOUT_NIK_TABLE = "kelayakan_tanpa_nik";
  public static final String HOUSEHOLDS_TABLE = "analis_rumah_tangga";
  public static final String MEMBERS_TABLE = "analis_anggota_rumah_tangga";
  public static final String MANIFEST_TABLE = "publikasi";
  private static final List<String> UNIT_KEY = List.of("program", "id_rt", "id_art");
  private static final StructType MANIFEST_SCHEMA = StructType.fromDDL(
      "periode STRING, peran STRING, tabel STRING, versi BIGINT, baris BIGINT, model STRING, versi_dtks STRING");

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Period period;
  private Map<String, ProgramRule> rules;
  private PseudonymKey key;
  private Progress progress;

  private PublishPeriod(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static PublishPeriod in(SparkSession spark, Lakehouse lakehouse) {
    return new PublishPeriod(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public PublishPeriod period(Period publishedPeriod) {
    this.period = Objects.requireNonNull(publishedPeriod, "period");
    return this;
  }

  public PublishPeriod rules(Map<String, ProgramRule> programRules) {
    this.rules = Map.copyOf(programRules);
    return this;
  }

  public PublishPeriod pseudonymKey(PseudonymKey pseudonymKey) {
    this.key = Objects.requireNonNull(pseudonymKey, "pseudonymKey");
    return this;
  }

  public PublishPeriod progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /** One line of the publication manifest. */
  public record ManifestEntry(String role, String table, long version, long rows) {}

  /** The manifest of the period and what the program tables' merge changed. */
  public record Result(Period period, String model, List<ManifestEntry> manifest, Map<String, CuratedTable.Merged> merges)
      implements Progress.RowCount {
    @Override
    public long rows() {
      return manifest.stream().filter(e -> e.role().equals("keluaran")).mapToLong(ManifestEntry::rows).sum();
    }
  }

  public Result execute() {
    if (period == null || rules == null || key == null) {
      throw new IllegalStateException("Cannot publish: the period, the program rules and the pseudonym key are required");
    }
    String what = "Cannot publish period " + period;
    RunLog.requireSilverAt(spark, lakehouse, period, ConformPeriod.JOB, what);
    RunLog.requireFinished(spark, lakehouse, RankPeriod.JOB, period, what);
    RunLog.requireFinished(spark, lakehouse, CoveragePeriod.JOB, period, what);
    Progress steps = progress != null ? progress : new Progress(spark, JOB);
    Instant started = Instant.now();

    // Each input is read at the version the manifest records, so a write landing meanwhile cannot slip in unrecorded.
    List<ManifestEntry> manifest = new ArrayList<>();
    Dataset<Row> households = input(Layer.SILVER, ConformPeriod.HOUSEHOLDS, manifest);
    Dataset<Row> members = input(Layer.SILVER, ConformPeriod.MEMBERS, manifest);
    Dataset<Row> ranking = input(Layer.GOLD, RankPeriod.TABLE, manifest);
    input(Layer.GOLD, CoveragePeriod.REGIONS_TABLE, manifest);
    input(Layer.GOLD, CoveragePeriod.PROGRAMS_TABLE, manifest);
    String model = ranking.select("model").distinct().collectAsList().stream().map(r -> r.getString(0)).sorted()
        .reduce((a, b) -> a + "," + b).orElse("");

    Map<String, CuratedTable.Merged> merges = new java.util.LinkedHashMap<>();
    Dataset<Row> units = ProgramEligibility.units(households, members, ranking, rules, period.referenceDate())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      CuratedTable payable = programTable(PROGRAMS_TABLE, true);
      CuratedTable unpayable = programTable(WITHOUT_NIK_TABLE, false);
      merges.put(PROGRAMS_TABLE, steps.step("merge gold." + PROGRAMS_TABLE, () -> {
        CuratedTable.Merged merged = payable.mergeCurrentState(units.where(ProgramEligibility.payable()), UNIT_KEY, period.toString());
        return new Progress.Counted<>(merged, merged.inserted() + merged.updated() + merged.deleted());
      }).value());
      merges.put(WITHOUT_NIK_TABLE, steps.step("merge gold." + WITHOUT_NIK_TABLE, () -> {
        CuratedTable.Merged merged = unpayable.mergeCurrentState(units.where(col("nik").isNull()).drop("nik"), UNIT_KEY,
            period.toString());
        return new Progress.Counted<>(merged, merged.inserted() + merged.updated() + merged.deleted());
      }).value());
      manifest.add(output(payable, PROGRAMS_TABLE, null));
      manifest.add(output(unpayable, WITHOUT_NIK_TABLE, null));
    } finally {
      units.unpersist();
    }

    Pseudonyms pseudonyms = new Pseudonyms(key);
    steps.info("analyst tables: NIKs as HMAC-SHA-256 pseudonyms under the key from %s", key.origin());
    CuratedTable householdTable = CuratedTable.at(spark, lakehouse.table(Layer.GOLD, HOUSEHOLDS_TABLE), Set.of("id_rt", "periode"),
        Map.of("desil_nasional_1_10", "desil_nasional IS NULL OR desil_nasional BETWEEN 1 AND 10",
            "persentil_1_100", "persentil_nasional IS NULL OR (persentil_nasional BETWEEN 1 AND 100 AND persentil_provinsi BETWEEN 1 AND 100 "
                + "AND persentil_kabkota BETWEEN 1 AND 100)"), "periode")
        .clusteredBy("kode_provinsi", "kode_kabkota");
    long householdRows = steps.step("write gold." + HOUSEHOLDS_TABLE, () -> {
      long rows = householdTable.replacePeriod(analystHouseholds(households, ranking, period.toString()), period.toString());
      return new Progress.Counted<>(rows, rows);
    }).value();
    manifest.add(output(householdTable, HOUSEHOLDS_TABLE, householdRows));
    CuratedTable memberTable = CuratedTable.at(spark, lakehouse.table(Layer.GOLD, MEMBERS_TABLE), Set.of("id_art", "id_rt", "periode"),
        Map.of("nik_pseudonim_hex", "nik_pseudonim IS NULL OR nik_pseudonim RLIKE '^[0-9a-f]{64}$'",
            "tahun_lahir_wajar", "tahun_lahir IS NULL OR tahun_lahir BETWEEN 1850 AND 2100"), "periode");
    long memberRows = steps.step("write gold." + MEMBERS_TABLE, () -> {
      long rows = memberTable.replacePeriod(analystMembers(members, pseudonyms, period.toString()), period.toString());
      return new Progress.Counted<>(rows, rows);
    }).value();
    manifest.add(output(memberTable, MEMBERS_TABLE, memberRows));

    writeManifest(manifest, model);
    RunLog.append(spark, lakehouse, UUID.randomUUID().toString(), JOB, period, "", manifest.stream()
        .filter(e -> e.role().equals("keluaran")).map(e -> new RunLog.Entry(e.table(), e.rows(), e.rows(), 0)).toList(),
        RunLog.OK, started);
    return new Result(period, model, List.copyOf(manifest), merges);
  }

  private CuratedTable programTable(String table, boolean withNik) {
    Map<String, String> checks = new java.util.LinkedHashMap<>();
    checks.put("desil_nasional_1_10", "desil_nasional BETWEEN 1 AND 10");
    if (withNik) {
      checks.put("nik_16_angka", "nik RLIKE '^[0-9]{16}$'");
    }
    Set<String> notNull = withNik ? Set.of("program", "satuan", "id_rt", "id_art", "nik", "kode_kabkota", "desil_nasional", "alasan")
        : Set.of("program", "satuan", "id_rt", "id_art", "kode_kabkota", "desil_nasional", "alasan");
    return CuratedTable.at(spark, lakehouse.table(Layer.GOLD, table), notNull, checks, null);
  }

  /** Households with their ranking of the period; nothing personal (no names, no NIK). */
  static Dataset<Row> analystHouseholds(Dataset<Row> households, Dataset<Row> ranking, String period) {
    return households.join(ranking.select("id_rt", "skor", "persentil_nasional", "desil_nasional", "persentil_provinsi",
            "persentil_kabkota", "model"), new String[] {"id_rt"}, "left")
        .select(col("id_rt"), col("kode_provinsi"), col("kode_kabkota"), col("kode_kecamatan"), col("kode_desa"),
            col("kode_provinsi_bps"), col("kode_kabkota_bps"), col("jumlah_anggota_hidup"), col("luas_lantai_m2"), col("jumlah_kamar"),
            col("jenis_lantai"), col("jenis_dinding"), col("jenis_atap"), col("sumber_air_minum"), col("fasilitas_bab"),
            col("sumber_penerangan"), col("bahan_bakar_memasak"), col("status_kepemilikan_rumah"), col("punya_lemari_es"),
            col("punya_ac"), col("punya_sepeda_motor"), col("punya_mobil"), col("punya_emas_10_gram"), col("punya_lahan"),
            col("status_verivali"), col("tanggal_update_terakhir"), col("dapat_diperingkat"), col("alasan_tidak_diperingkat"),
            col("skor"), col("persentil_nasional"), col("desil_nasional"), col("persentil_provinsi"), col("persentil_kabkota"),
            col("model"), lit(period).as("periode"));
  }

  /** Members without names; NIK and KK number as keyed pseudonyms (valid numbers only); birth year only. */
  static Dataset<Row> analystMembers(Dataset<Row> members, Pseudonyms pseudonyms, String period) {
    Column familyCard = org.apache.spark.sql.functions.when(col("nkk_valid"), id.dtks.lakehouse.conform.IdentityNumberRules.normalized(col("nkk")));
    return members.select(col("id_art"), col("id_rt"), pseudonyms.of(col("nik_bersih")).as("nik_pseudonim"),
        pseudonyms.of(familyCard).as("nkk_pseudonim"), col("nik_valid"), col("nik_alasan"), col("nik_duplikat_dalam_rt"),
        col("nik_duplikat_antar_rt"), col("jenis_kelamin"), year(col("tanggal_lahir")).as("tahun_lahir"), col("hubungan_krt"),
        col("pendidikan_tertinggi"), col("status_sekolah"), col("status_pekerjaan"), col("disabilitas"), col("hamil"),
        col("status_padan"), col("meninggal"), lit(period).as("periode"));
  }

  /**
   * The rows of an input as of its current version (silver: active rows; gold: the period's rows),
   * pinned to that version; adds the version and row count to the manifest.
   */
  private Dataset<Row> input(Layer layer, String table, List<ManifestEntry> manifest) {
    String path = lakehouse.table(layer, table);
    long version = io.delta.tables.DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
    Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", version).load(path);
    rows = layer == Layer.SILVER ? rows.where(col("status_data").equalTo(ConformPeriod.ACTIVE))
        : rows.where(col("periode").equalTo(period.toString()));
    manifest.add(new ManifestEntry("masukan", layer.folder() + "." + table, version, rows.count()));
    return rows;
  }

  private ManifestEntry output(CuratedTable table, String name, Long periodRows) {
    long version = table.version();
    long rows = periodRows != null ? periodRows
        : spark.read().format("delta").option("versionAsOf", version).load(table.path()).count();
    return new ManifestEntry("keluaran", Layer.GOLD.folder() + "." + name, version, rows);
  }

  private void writeManifest(List<ManifestEntry> manifest, String model) {
    List<Row> rows = manifest.stream().map(e -> RowFactory.create(period.toString(), e.role(), e.table(), e.version(), e.rows(), model,
        BuildInfo.version())).toList();
    id.dtks.lakehouse.spark.Writes.replaceWhere(spark.createDataFrame(rows, MANIFEST_SCHEMA),
        lakehouse.table(Layer.OPS, MANIFEST_TABLE), "periode = '" + period + "'", "periode");
  }
}
