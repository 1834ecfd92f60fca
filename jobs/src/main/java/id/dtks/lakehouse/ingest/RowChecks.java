package id.dtks.lakehouse.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.lakehouse.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The row checks of each export: pure functions that give each row {@code alasan}, the array of
 * every {@link QuarantineReason} that applies to it (empty: the row is accepted).
 */
final class RowChecks {
  static final String REASONS = "alasan";
  private static final String HASH = "_isi_hash";
  private static final String COPIES = "_salinan";
  private static final String HASH_MIN = "_hash_min";
  private static final String HASH_MAX = "_hash_max";
  private static final String FIRST_COPY = "_salinan_pertama";
  private static final String KEY_REASON = "_alasan_kunci";
  private static final String OWN_REASONS = "_alasan_baris";
  private static final String RELATED_REASONS = "_alasan_relasi";

  /**
   * Up to this many repeated keys (a key, a count, two hashes and a row id each: some 60 bytes in
   * Spark's hash table) go to every task; above it, as in an export sent twice, the rows are
   * shuffled by key to meet them.
   */
  static final long BROADCAST_REPEATED_KEYS = 2_000_000;

  private RowChecks() {}

  /** What the checks of one export compare against: the batch's other tables and the reference codes. */
  record Context(Period period, Dataset<Row> desaCodes, List<String> kabkotaCodes,
      Dataset<Row> rawHouseholdIds, Dataset<Row> acceptedHouseholdIds, Dataset<Row> acceptedMemberIds,
      Dataset<Row> acceptedOperators) {}

  /** The key that identifies a row of each export; the first {@code required} key columns may not be null. */
  static List<String> key(RawExport export) {
    return switch (export) {
      case RUMAH_TANGGA, SURVEI_KONSUMSI -> List.of("id_rt");
      case ANGGOTA_RUMAH_TANGGA, PADAN_DUKCAPIL -> List.of("id_art");
      case VERIVALI -> List.of("id_update");
      case OPERATOR -> List.of("id_operator");
      case PENERIMA_PROGRAM -> List.of("program", "id_rt", "id_art");
    };
  }

  private static List<String> requiredKey(RawExport export) {
    return export == RawExport.PENERIMA_PROGRAM ? List.of("program", "id_rt") : key(export);
  }

  /**
   * {@code rows} (which carry {@link RawContract#ROW_ID}) with the column {@link #REASONS}: every
   * row of the export, accepted (empty) or not.
   */
  static Dataset<Row> classify(RawExport export, Dataset<Row> rows, Context context) {
    return rows.join(reasons(export, rows, context), RawContract.ROW_ID);
  }

  /**
   * The reasons of every row, as narrow rows ({@link RawContract#ROW_ID}, {@link #REASONS}). The
   * checks that need one row only (codes, dates, values) run where the row is read; what goes through
   * a shuffle to meet the batch's other tables (the key's copies, the household, the member, the
   * operator) is the row's id, its key, the columns it is joined on and the reasons so far, not
   * the row. In every export the reasons keep one order: the key's, then those that need other
   * tables, then those of the row alone.
   */
  static Dataset<Row> reasons(RawExport export, Dataset<Row> rows, Context context) {
    Column[] content = Arrays.stream(export.schema().fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    List<String> carried = new ArrayList<>(List.of(RawContract.ROW_ID));
    key(export).forEach(carried::add);
    joinColumns(export).stream().filter(c -> !carried.contains(c)).forEach(carried::add);
    carried.add(HASH);
    carried.add(OWN_REASONS);
    Dataset<Row> narrow = rows
        .withColumn(HASH, xxhash64(content))
        .withColumn(OWN_REASONS, ownReasons(export, context))
        .select(carried.stream().map(c -> col(c)).toArray(Column[]::new));
    Dataset<Row> keyed = withKeyReason(export, narrow);
    Dataset<Row> related = switch (export) {
      case OPERATOR, PENERIMA_PROGRAM -> keyed.withColumn(RELATED_REASONS, reasonList());
      case RUMAH_TANGGA -> keyed
          .join(broadcast(context.desaCodes().withColumn("_desa_dikenal", lit(true))),
              col("kode_desa").equalTo(col("_kode_desa_ref")), "left")
          .withColumn(RELATED_REASONS, reasonList(
              when(col("_desa_dikenal").isNull(), QuarantineReason.KODE_DESA_TIDAK_DIKENAL.name())));
      case ANGGOTA_RUMAH_TANGGA, SURVEI_KONSUMSI -> withHousehold(keyed, context)
          .withColumn(RELATED_REASONS, reasonList(householdReason()));
      case PADAN_DUKCAPIL -> keyed
          .join(context.acceptedMemberIds().select(col("id_art").as("_art_diterima")),
              col("id_art").equalTo(col("_art_diterima")), "left")
          .withColumn(RELATED_REASONS, reasonList(
              when(col("_art_diterima").isNull(), QuarantineReason.ANGGOTA_TIDAK_DIKENAL.name())));
      case VERIVALI -> withHousehold(keyed, context)
          .join(context.acceptedOperators().select(col("id_operator").as("_operator"), col("status_akses").as("_status_akses"),
              col("tanggal_dicabut").as("_tanggal_dicabut")), col("id_operator").equalTo(col("_operator")), "left")
          .withColumn(RELATED_REASONS, reasonList(
              householdReason(),
              when(col("_operator").isNull(), QuarantineReason.OPERATOR_TIDAK_DIKENAL.name()),
              when(col("_status_akses").equalTo("DICABUT").and(col("tanggal_update").gt(col("_tanggal_dicabut"))),
                  QuarantineReason.OPERATOR_DICABUT.name())));
    };
    return related.select(col(RawContract.ROW_ID),
        array_compact(concat(array(col(KEY_REASON)), col(RELATED_REASONS), col(OWN_REASONS))).as(REASONS));
  }

  /** The columns other than the key that the checks against other tables read. */
  private static List<String> joinColumns(RawExport export) {
    return switch (export) {
      case OPERATOR, PENERIMA_PROGRAM, PADAN_DUKCAPIL -> List.of();
      case RUMAH_TANGGA -> List.of("kode_desa");
      case ANGGOTA_RUMAH_TANGGA, SURVEI_KONSUMSI -> List.of("id_rt");
      case VERIVALI -> List.of("id_rt", "id_operator", "tanggal_update");
    };
  }

  /** The reasons one row shows by itself: codes, dates and values out of their range. */
  private static Column ownReasons(RawExport export, Context context) {
    return switch (export) {
      case OPERATOR -> reasonList(
          when(col("kode_kabkota").isin(context.kabkotaCodes().toArray()).unary_$bang().or(col("kode_kabkota").isNull()),
              QuarantineReason.KODE_KABKOTA_TIDAK_DIKENAL.name()),
          when(notCoded("status_akses").or(col("status_akses").equalTo("DICABUT").and(col("tanggal_dicabut").isNull())),
              QuarantineReason.NILAI_KODE_TIDAK_DIKENAL.name()),
          when(afterPeriod(col("tanggal_dicabut"), context), QuarantineReason.TANGGAL_TIDAK_MUNGKIN.name()));
      case RUMAH_TANGGA -> reasonList(
          when(coalesce(col("luas_lantai_m2").leq(0), lit(true))
                  .or(coalesce(col("jumlah_kamar").lt(1).or(col("jumlah_kamar").gt(col("luas_lantai_m2"))), lit(true)))
                  .or(coalesce(col("jumlah_anggota").between(1, 30).unary_$bang(), lit(true))),
              QuarantineReason.NILAI_TIDAK_MUNGKIN.name()),
          when(anyNotCoded("jenis_lantai", "jenis_dinding", "jenis_atap", "sumber_air_minum", "fasilitas_bab",
              "sumber_penerangan", "bahan_bakar_memasak", "status_kepemilikan_rumah"), QuarantineReason.NILAI_KODE_TIDAK_DIKENAL.name()));
      case ANGGOTA_RUMAH_TANGGA -> reasonList(
          when(coalesce(col("tanggal_lahir").gt(lit(context.period().referenceDate()))
              .or(col("tanggal_lahir").lt(lit(context.period().referenceDate().minusYears(115)))), lit(true)),
              QuarantineReason.TANGGAL_LAHIR_TIDAK_MUNGKIN.name()),
          when(anyNotCoded("jenis_kelamin", "hubungan_krt", "pendidikan_tertinggi", "status_sekolah", "status_pekerjaan",
              "disabilitas"), QuarantineReason.NILAI_KODE_TIDAK_DIKENAL.name()));
      case PADAN_DUKCAPIL -> reasonList(
          when(notCoded("hasil_padan").or(col("status_hidup").isNotNull().and(notCoded("status_hidup")))
              .or(col("status_hidup").equalTo("MENINGGAL").and(col("tanggal_meninggal").isNull())),
              QuarantineReason.NILAI_KODE_TIDAK_DIKENAL.name()),
          when(afterPeriod(col("tanggal_meninggal"), context), QuarantineReason.TANGGAL_TIDAK_MUNGKIN.name()));
      case VERIVALI -> reasonList(
          when(coalesce(afterPeriod(col("tanggal_update"), context), lit(true)), QuarantineReason.TANGGAL_TIDAK_MUNGKIN.name()),
          when(anyNotCoded("status_rt", "aplikasi"), QuarantineReason.NILAI_KODE_TIDAK_DIKENAL.name()));
      case PENERIMA_PROGRAM -> reasonList(when(notCoded("program"), QuarantineReason.PROGRAM_TIDAK_DIKENAL.name()));
      case SURVEI_KONSUMSI -> reasonList(
          when(coalesce(col("pengeluaran_per_kapita").leq(0).or(col("bobot").leq(0)), lit(true)),
              QuarantineReason.NILAI_TIDAK_MUNGKIN.name()));
    };
  }

  /**
   * Adds the key's reason: missing, or repeated. Copies with the same content keep one (the one
   * from the first file, then the first row: the lowest {@link RawContract#ROW_ID}); copies that
   * differ keep none, since nothing tells which is right. One aggregate of (key, hash, row id)
   * finds the repeated keys; they are few in a sound batch, so they go to every task and the rows
   * meet them where they are read, with no shuffle of the rows by key. {@code hashed} carries the
   * content's hash already.
   */
  private static Dataset<Row> withKeyReason(RawExport export, Dataset<Row> hashed) {
    List<String> key = key(export);
    Column keyMissing = requiredKey(export).stream().map(c -> col(c).isNull()).reduce(Column::or).orElseThrow();
    // Eager: the checks go on knowing how many keys repeat.
    Dataset<Row> repeated = hashed.where(keyMissing.unary_$bang())
        .groupBy(key.stream().map(c -> col(c).as("_kunci_" + c)).toArray(Column[]::new))
        .agg(count(lit(1)).as(COPIES), min(HASH).as(HASH_MIN), max(HASH).as(HASH_MAX), min(RawContract.ROW_ID).as(FIRST_COPY))
        .where(col(COPIES).gt(1))
        .localCheckpoint(true);
    if (repeated.count() <= BROADCAST_REPEATED_KEYS) {
      repeated = broadcast(repeated);
    }
    // The required columns are never null in a repeated key; plain equality on them lets Spark
    // probe a long-keyed hash table where the key is one id.
    List<String> required = requiredKey(export);
    Column sameKey = key.stream().map(c -> required.contains(c) ? col(c).equalTo(col("_kunci_" + c)) : col(c).eqNullSafe(col("_kunci_" + c)))
        .reduce(Column::and).orElseThrow();
    Column copy = col(COPIES).isNotNull();
    return hashed.join(repeated, sameKey, "left")
        .withColumn(KEY_REASON, when(keyMissing, lit(QuarantineReason.KUNCI_KOSONG.name()))
            .when(copy.and(col(HASH_MIN).notEqual(col(HASH_MAX))), lit(QuarantineReason.KUNCI_GANDA_BERBEDA.name()))
            .when(copy.and(col(RawContract.ROW_ID).notEqual(col(FIRST_COPY))), lit(QuarantineReason.KUNCI_GANDA.name())))
        .drop(key.stream().map(c -> "_kunci_" + c).toArray(String[]::new));
  }

  /** Joins whether the row's household is in the raw batch and whether it was accepted. */
  private static Dataset<Row> withHousehold(Dataset<Row> rows, Context context) {
    return rows
        .join(context.rawHouseholdIds().select(col("id_rt").as("_rt_mentah")).distinct(), col("id_rt").equalTo(col("_rt_mentah")), "left")
        .join(context.acceptedHouseholdIds().select(col("id_rt").as("_rt_diterima")), col("id_rt").equalTo(col("_rt_diterima")), "left");
  }

  private static Column householdReason() {
    return when(col("_rt_mentah").isNull(), QuarantineReason.RUMAH_TANGGA_TIDAK_DIKENAL.name())
        .when(col("_rt_diterima").isNull(), QuarantineReason.RUMAH_TANGGA_DIKARANTINA.name());
  }

  private static Column afterPeriod(Column date, Context context) {
    return date.gt(lit(context.period().referenceDate()));
  }

  private static Column notCoded(String column) {
    return coalesce(col(column).isin((Object[]) RawExport.codes(column)).unary_$bang(), lit(true));
  }

  private static Column anyNotCoded(String... columns) {
    return Arrays.stream(columns).map(RowChecks::notCoded).reduce(Column::or).orElseThrow();
  }

  /** The reason codes of the conditions that hold; each argument is {@code when(condition, reason)}. */
  private static Column reasonList(Column... whenReason) {
    List<Column> codes = new ArrayList<>(Arrays.asList(whenReason));
    return array(codes.stream().map(c -> c.cast("string")).toArray(Column[]::new)).cast("array<string>");
  }
}
