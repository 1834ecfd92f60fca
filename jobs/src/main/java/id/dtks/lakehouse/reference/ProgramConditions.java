package id.dtks.lakehouse.reference;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;

/**
 * The conditions program rules name (DOMAIN.md, "Downstream programs"), as columns over silver:
 * member conditions over {@code silver.anggota_rumah_tangga}, household conditions over
 * {@code silver.rumah_tangga}. Ages are whole years at the period's last day. Every condition is
 * false, never null, where a value is missing.
 */
public final class ProgramConditions {
  private ProgramConditions() {}

  /** Age in whole years at {@code referenceDate}, from {@code tanggal_lahir}. */
  public static Column age(LocalDate referenceDate) {
    return floor(months_between(lit(Date.valueOf(referenceDate)), col("tanggal_lahir")).divide(12));
  }

  /** Whether the member is alive: not reported dead by Dukcapil. */
  public static Column alive() {
    return coalesce(col("meninggal"), lit(false)).equalTo(false);
  }

  /** A member condition of {@link Program#MEMBER_CONDITIONS} (not checking that the member is alive). */
  public static Column member(String condition, LocalDate referenceDate) {
    Column age = age(referenceDate);
    Column holds = switch (condition) {
      case "HAMIL" -> col("hamil");
      case "BALITA" -> age.lt(6);
      case "SEKOLAH_6_21" -> age.between(6, 21).and(col("status_sekolah").equalTo("MASIH_SEKOLAH"));
      case "LANSIA_60" -> age.geq(60);
      case "DISABILITAS_BERAT" -> col("disabilitas").equalTo("BERAT");
      default -> throw new IllegalArgumentException("Unknown member condition '" + condition + "'; known: " + Program.MEMBER_CONDITIONS);
    };
    return coalesce(holds, lit(false));
  }

  /** A household condition of {@link Program#HOUSEHOLD_CONDITIONS}. */
  public static Column household(String condition) {
    Column holds = switch (condition) {
      case "DAYA_450_900" -> col("sumber_penerangan").isin("PLN_450VA", "PLN_900VA");
      default -> throw new IllegalArgumentException("Unknown household condition '" + condition + "'; known: "
          + Program.HOUSEHOLD_CONDITIONS);
    };
    return coalesce(holds, lit(false));
  }
}
