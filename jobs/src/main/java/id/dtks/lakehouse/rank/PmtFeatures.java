package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The proxies of the proxy-means test, each a categorical feature of a household: housing,
 * sanitation, water, energy, assets, size, and the education and work of the head. A model holds
 * one coefficient per category; the first category of each feature is the baseline a calibration
 * leaves out (its effect sits in the intercept). Numbers (size, floor area per person) enter as
 * bands, so that every proxy is "one coefficient per category".
 */
public final class PmtFeatures {
  public static final String UNKNOWN = "TIDAK_DIKETAHUI";
  private static final List<String> YES_NO = List.of("TIDAK", "YA");

  private PmtFeatures() {}

  /** One proxy: its name (the column of the feature frame) and its categories, baseline first. */
  public enum Feature {
    JENIS_LANTAI("jenis_lantai", List.of("TANAH", "BAMBU_KAYU_RENDAH", "SEMEN_BATA", "KERAMIK", "MARMER_GRANIT")),
    JENIS_DINDING("jenis_dinding", List.of("BAMBU_ANYAMAN", "KAYU_PAPAN", "TEMBOK_TANPA_PLESTER", "TEMBOK")),
    JENIS_ATAP("jenis_atap", List.of("IJUK_RUMBIA", "SENG", "GENTENG", "BETON")),
    SUMBER_AIR_MINUM("sumber_air_minum", List.of("SUNGAI_MATA_AIR_HUJAN", "SUMUR_TAK_TERLINDUNG", "SUMUR_TERLINDUNG_POMPA",
        "LEDENG", "AIR_KEMASAN_ISI_ULANG")),
    FASILITAS_BAB("fasilitas_bab", List.of("TIDAK_ADA", "BERSAMA_UMUM", "SENDIRI")),
    SUMBER_PENERANGAN("sumber_penerangan", List.of("BUKAN_PLN", "PLN_450VA", "PLN_900VA", "PLN_1300VA", "PLN_2200VA_LEBIH")),
    BAHAN_BAKAR_MEMASAK("bahan_bakar_memasak", List.of("KAYU_ARANG", "MINYAK_TANAH", "LPG_3KG", "LPG_BESAR_GAS_KOTA", "LISTRIK")),
    STATUS_KEPEMILIKAN_RUMAH("status_kepemilikan_rumah", List.of("MILIK_SENDIRI", "SEWA_KONTRAK", "BEBAS_SEWA", "LAINNYA")),
    PUNYA_LEMARI_ES("punya_lemari_es", YES_NO),
    PUNYA_AC("punya_ac", YES_NO),
    PUNYA_SEPEDA_MOTOR("punya_sepeda_motor", YES_NO),
    PUNYA_MOBIL("punya_mobil", YES_NO),
    PUNYA_EMAS_10_GRAM("punya_emas_10_gram", YES_NO),
    PUNYA_LAHAN("punya_lahan", YES_NO),
    /** Living members: per-capita consumption falls with size at a given standard of housing. */
    UKURAN_RUMAH_TANGGA("ukuran_rumah_tangga", List.of("1", "2", "3", "4", "5", "6", "7_LEBIH")),
    LUAS_LANTAI_PER_KAPITA("luas_lantai_per_kapita", List.of("KURANG_8", "8_15", "15_30", "30_LEBIH")),
    PENDIDIKAN_KRT("pendidikan_krt", List.of(UNKNOWN, "TIDAK_SEKOLAH", "SD", "SMP", "SMA", "DIPLOMA_SARJANA")),
    PEKERJAAN_KRT("pekerjaan_krt", List.of(UNKNOWN, "TIDAK_BEKERJA", "BERUSAHA_SENDIRI", "BURUH_KARYAWAN", "PEKERJA_BEBAS",
        "PEKERJA_KELUARGA"));

    private final String column;
    private final List<String> categories;

    Feature(String column, List<String> categories) {
      this.column = column;
      this.categories = categories;
    }

    public String column() {
      return column;
    }

    public List<String> categories() {
      return categories;
    }

    public static Optional<Feature> named(String column) {
      return Arrays.stream(values()).filter(f -> f.column.equals(column)).findFirst();
    }
  }

  /**
   * The feature frame: {@code households} (silver rumah_tangga columns) with one string column per
   * feature (replacing the raw proxy of the same name), plus the head's education and work from
   * {@code members} (silver anggota_rumah_tangga).
   * A household without a recorded head gets {@link #UNKNOWN} for those two; a value outside the
   * categories cannot reach silver (ingest quarantines it), so no other fallback is needed.
   */
  public static Dataset<Row> of(Dataset<Row> households, Dataset<Row> members) {
    // One head per household: the recorded head with the lowest member id, should there be two.
    Dataset<Row> heads = members.where(col("hubungan_krt").equalTo("KEPALA"))
        .groupBy(col("id_rt").as("_id_rt_krt"))
        .agg(max_by(struct(col("pendidikan_tertinggi"), col("status_pekerjaan")), col("id_art").multiply(-1)).as("krt"));
    Dataset<Row> joined = households.join(heads, households.col("id_rt").equalTo(col("_id_rt_krt")), "left");
    Column size = col("jumlah_anggota_hidup");
    Column areaPerPerson = col("luas_lantai_m2").divide(when(size.gt(0), size));
    List<Column> columns = new ArrayList<>();
    for (String column : households.columns()) {
      if (Feature.named(column).isEmpty()) {
        columns.add(col(column));
      }
    }
    for (Feature feature : Feature.values()) {
      columns.add(expression(feature, size, areaPerPerson).as(feature.column()));
    }
    return joined.select(columns.toArray(Column[]::new));
  }

  private static Column expression(Feature feature, Column size, Column areaPerPerson) {
    return switch (feature) {
      case PUNYA_LEMARI_ES, PUNYA_AC, PUNYA_SEPEDA_MOTOR, PUNYA_MOBIL, PUNYA_EMAS_10_GRAM, PUNYA_LAHAN ->
          when(col(feature.column()), lit("YA")).otherwise(lit("TIDAK"));
      case UKURAN_RUMAH_TANGGA -> when(size.geq(7), lit("7_LEBIH")).otherwise(size.cast("string"));
      case LUAS_LANTAI_PER_KAPITA -> when(areaPerPerson.lt(8), lit("KURANG_8")).when(areaPerPerson.lt(15), lit("8_15"))
          .when(areaPerPerson.lt(30), lit("15_30")).otherwise(lit("30_LEBIH"));
      case PENDIDIKAN_KRT -> coalesce(col("krt.pendidikan_tertinggi"), lit(UNKNOWN));
      case PEKERJAAN_KRT -> coalesce(col("krt.status_pekerjaan"), lit(UNKNOWN));
      default -> col(feature.column());
    };
  }
}
