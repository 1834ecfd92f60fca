package id.dtks.lakehouse.generate;

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
