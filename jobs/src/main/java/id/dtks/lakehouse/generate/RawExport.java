package id.dtks.lakehouse.generate;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * The raw parquet exports of one period, as the source systems (SIKS-NG, SIKS-DROID, the program
 * systems, Dukcapil) deliver them: folder names and columns. This is the contract the ingest job
 * checks; jobs/docs/raw-exports.md explains every column and its allowed values.
 */
public enum RawExport {
  RUMAH_TANGGA("rumah_tangga", """
      id_rt BIGINT, kode_desa STRING, tanggal_pendataan DATE, jumlah_anggota INT,
      luas_lantai_m2 DOUBLE, jumlah_kamar INT, jenis_lantai STRING, jenis_dinding STRING,
      jenis_atap STRING, sumber_air_minum STRING, fasilitas_bab STRING, sumber_penerangan STRING,
      bahan_bakar_memasak STRING, status_kepemilikan_rumah STRING, punya_lemari_es BOOLEAN,
      punya_ac BOOLEAN, punya_sepeda_motor BOOLEAN, punya_mobil BOOLEAN,
      punya_emas_10_gram BOOLEAN, punya_lahan BOOLEAN"""),
  ANGGOTA_RUMAH_TANGGA("anggota_rumah_tangga", """
      id_art BIGINT, id_rt BIGINT, nik STRING, nkk STRING, nama STRING, jenis_kelamin STRING,
      tanggal_lahir DATE, hubungan_krt STRING, pendidikan_tertinggi STRING, status_sekolah STRING,
      status_pekerjaan STRING, disabilitas STRING, hamil BOOLEAN"""),
  PENERIMA_PROGRAM("penerima_program", """
      program STRING, id_rt BIGINT, id_art BIGINT, nik STRING"""),
  VERIVALI("verivali", """
      id_update BIGINT, id_rt BIGINT, id_operator BIGINT, tanggal_update DATE, status_rt STRING,
      aplikasi STRING"""),
  OPERATOR("operator", """
      id_operator BIGINT, kode_kabkota STRING, tanggal_mulai DATE, status_akses STRING,
      tanggal_dicabut DATE"""),
  PADAN_DUKCAPIL("padan_dukcapil", """
      id_art BIGINT, nik STRING, hasil_padan STRING, status_hidup STRING, tanggal_meninggal DATE"""),
  SURVEI_KONSUMSI("survei_konsumsi", """
      id_rt BIGINT, tanggal_survei DATE, pengeluaran_per_kapita DOUBLE, bobot DOUBLE""");

  /**
   * The allowed values of every coded column, by export and column; where the codes are ordered,
   * poorest first. The ingest job quarantines other values; the generator draws from these.
   */
  public static final Map<String, List<String>> CODES = Map.ofEntries(
      Map.entry("jenis_lantai", List.of("TANAH", "BAMBU_KAYU_RENDAH", "SEMEN_BATA", "KERAMIK", "MARMER_GRANIT")),
      Map.entry("jenis_dinding", List.of("BAMBU_ANYAMAN", "KAYU_PAPAN", "TEMBOK_TANPA_PLESTER", "TEMBOK")),
      Map.entry("jenis_atap", List.of("IJUK_RUMBIA", "SENG", "GENTENG", "BETON")),
      Map.entry("sumber_air_minum", List.of("SUNGAI_MATA_AIR_HUJAN", "SUMUR_TAK_TERLINDUNG", "SUMUR_TERLINDUNG_POMPA",
          "LEDENG", "AIR_KEMASAN_ISI_ULANG")),
      Map.entry("fasilitas_bab", List.of("TIDAK_ADA", "BERSAMA_UMUM", "SENDIRI")),
      Map.entry("sumber_penerangan", List.of("BUKAN_PLN", "PLN_450VA", "PLN_900VA", "PLN_1300VA", "PLN_2200VA_LEBIH")),
      Map.entry("bahan_bakar_memasak", List.of("KAYU_ARANG", "MINYAK_TANAH", "LPG_3KG", "LPG_BESAR_GAS_KOTA", "LISTRIK")),
      Map.entry("status_kepemilikan_rumah", List.of("MILIK_SENDIRI", "SEWA_KONTRAK", "BEBAS_SEWA", "LAINNYA")),
      Map.entry("jenis_kelamin", List.of("L", "P")),
      Map.entry("hubungan_krt", List.of("KEPALA", "PASANGAN", "ANAK", "CUCU", "ORANG_TUA", "FAMILI_LAIN", "LAINNYA")),
      Map.entry("pendidikan_tertinggi", List.of("TIDAK_SEKOLAH", "SD", "SMP", "SMA", "DIPLOMA_SARJANA")),
      Map.entry("status_sekolah", List.of("BELUM_SEKOLAH", "MASIH_SEKOLAH", "TIDAK_SEKOLAH_LAGI")),
      Map.entry("status_pekerjaan", List.of("TIDAK_BEKERJA", "BERUSAHA_SENDIRI", "BURUH_KARYAWAN", "PEKERJA_BEBAS",
          "PEKERJA_KELUARGA")),
      Map.entry("disabilitas", List.of("TIDAK", "RINGAN", "BERAT")),
      Map.entry("program", List.of("PKH", "BPNT", "PBI_JK", "KIP", "SUBSIDI_LISTRIK")),
      Map.entry("status_rt", List.of("AKTIF", "PINDAH", "TIDAK_DITEMUKAN", "MENINGGAL")),
      Map.entry("aplikasi", List.of("SIKS-NG", "SIKS-DROID")),
      Map.entry("status_akses", List.of("AKTIF", "DICABUT")),
      Map.entry("hasil_padan", List.of("PADAN", "TIDAK_PADAN")),
      Map.entry("status_hidup", List.of("HIDUP", "MENINGGAL")));

  /** The allowed values of a coded column, as an array (poorest first where ordered). */
  public static String[] codes(String column) {
    List<String> codes = CODES.get(column);
    if (codes == null) {
      throw new IllegalArgumentException("Column " + column + " has no code list");
    }
    return codes.toArray(String[]::new);
  }

  private final String folder;
  private final StructType schema;

  RawExport(String folder, String ddl) {
    this.folder = folder;
    this.schema = StructType.fromDDL(ddl.replaceAll("\\s+", " ").strip());
  }

  /** The folder below {@code <raw-root>/<period>/}. */
  public String folder() {
    return folder;
  }

  /** Columns and types the export must have. */
  public StructType schema() {
    return schema;
  }
}
