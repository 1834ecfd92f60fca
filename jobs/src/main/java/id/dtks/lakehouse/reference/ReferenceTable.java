package id.dtks.lakehouse.reference;

import java.util.Arrays;
import java.util.List;

/**
 * The reference files and the {@code ref} tables built from them. The header of each file is part
 * of the contract: a file whose columns differ is rejected before anything is written.
 */
public enum ReferenceTable {
  /** Every region of Permendagri 72/2019 at all four levels, with its parents' codes. */
  WILAYAH("wilayah", "wilayah-kemendagri-2020.csv", "kode STRING, nama STRING, tingkat STRING"),
  /** Province, kabupaten/kota and kecamatan codes of the 2016-2025 lists: NIKs keep old codes for life. */
  KODE_WILAYAH_HISTORI("kode_wilayah_histori", "kode-wilayah-2016-2025.csv",
      "kode STRING, nama_terakhir STRING, tingkat STRING, vintage_pertama INT, vintage_terakhir INT"),
  /** Population per kabupaten/kota (Dukcapil, semester II 2024), keyed by the 2020 code. */
  PENDUDUK_KABKOTA("penduduk_kabkota", "penduduk-kabkota-2024.csv",
      "kode_kabkota_2020 STRING, nama STRING, penduduk_laki_laki BIGINT, penduduk_perempuan BIGINT, "
          + "penduduk_total BIGINT, kode_kabkota_2025 STRING"),
  /** BPS statistical codes against Kemendagri codes, kabupaten/kota (199 of 514 differ). */
  KABKOTA_BPS("kabkota_bps", "kabkota-bps-kemendagri-2020.csv",
      "kode_bps STRING, nama_bps STRING, kode_dagri STRING, nama_dagri STRING"),
  /** BPS statistical codes against Kemendagri codes, provinces. */
  PROVINSI_BPS("provinsi_bps", "provinsi-bps-kemendagri-2020.csv",
      "kode_bps STRING, nama_bps STRING, kode_dagri STRING, nama_dagri STRING");

  private final String tableName;
  private final String fileName;
  private final String sourceSchema;

  ReferenceTable(String tableName, String fileName, String sourceSchema) {
    this.tableName = tableName;
    this.fileName = fileName;
    this.sourceSchema = sourceSchema;
  }

  public String tableName() {
    return tableName;
  }

  public String fileName() {
    return fileName;
  }

  /** The columns of the CSV, as a Spark DDL string. */
  public String sourceSchema() {
    return sourceSchema;
  }

  /** The header line the CSV must have. */
  public List<String> expectedHeader() {
    return Arrays.stream(sourceSchema.split(","))
        .map(column -> column.strip().split(" ")[0])
        .toList();
  }
}
