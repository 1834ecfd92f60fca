package id.dtks.lakehouse.conform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.Collection;
import org.apache.spark.sql.Column;

/**
 * The rules of DOMAIN.md for a NIK ({@code PPKKCC DDMMYY SSSS}, 40 added to the day for women) and
 * a family card number (the same shape, issue date without the +40), as pure column functions.
 * Each failed rule gives one reason code; an invalid number is flagged, never repaired.
 */
public final class IdentityNumberRules {
  /** Values that went through a spreadsheet: 3.27301E+15, 3.273014508890001E15, 3273014508890001.0. */
  private static final String SPREADSHEET_FORM = "^[0-9]+(\\.[0-9]+)?[eE][+]?[0-9]+$|^[0-9]{16}\\.0+$";

  /** The rules a number can fail; each gives the reason code prefix + "_" + rule (NIK_KOSONG, NKK_SERIAL_NOL). */
  public enum Rule {
    /** Null or blank. */
    KOSONG,
    /** Went through a spreadsheet (3.27E+15, a trailing .0): never repaired. */
    FORMAT_SPREADSHEET,
    /** Something other than digits after stripping spaces, dots and dashes. */
    BUKAN_ANGKA,
    /** Not 16 digits. */
    PANJANG_SALAH,
    /** One digit repeated 16 times. */
    PLACEHOLDER,
    /** Province and kabupaten/kota code in no Kemendagri list of 2016 to 2025. */
    WILAYAH_TIDAK_DIKENAL,
    /** Day, month and year are no real date in 19yy or 20yy up to the period (women: day + 40). */
    TANGGAL_TIDAK_VALID,
    /** Serial 0000. */
    SERIAL_NOL
  }

  private final String prefix;
  private final boolean womenAddForty;
  private final Object[] knownKabkota;
  private final LocalDate referenceDate;

  private IdentityNumberRules(String prefix, boolean womenAddForty, Collection<String> knownKabkotaDigits, LocalDate referenceDate) {
    this.prefix = prefix;
    this.womenAddForty = womenAddForty;
    this.knownKabkota = knownKabkotaDigits.toArray();
    this.referenceDate = referenceDate;
  }

  /**
   * Rules for NIKs. {@code knownKabkotaDigits}: province + kabupaten/kota codes (PPKK, undotted)
   * of every Kemendagri list, since a NIK keeps the code of its place of issue for life.
   */
  public static IdentityNumberRules nik(Collection<String> knownKabkotaDigits, LocalDate referenceDate) {
    return new IdentityNumberRules("NIK", true, knownKabkotaDigits, referenceDate);
  }

  /** Rules for family card numbers (nkk). */
  public static IdentityNumberRules familyCard(Collection<String> knownKabkotaDigits, LocalDate referenceDate) {
    return new IdentityNumberRules("NKK", false, knownKabkotaDigits, referenceDate);
  }

  /** The number with spaces, dots and dashes stripped (only the separators people type). */
  public static Column normalized(Column raw) {
    return regexp_replace(trim(raw), "[ .\\-]", "");
  }

  /** The reason codes of every rule the number fails; empty when it is valid. */
  public Column reasons(Column raw) {
    Column digits = normalized(raw);
    Column empty = raw.isNull().or(trim(raw).equalTo(""));
    Column spreadsheet = trim(raw).rlike(SPREADSHEET_FORM);
    Column notDigits = digits.rlike("^[0-9]*$").unary_$bang();
    Column wrongLength = digits.rlike("^.{16}$").unary_$bang();
    Column sixteenDigits = digits.rlike("^[0-9]{16}$");
    Column placeholder = digits.rlike("^([0-9])\\1{15}$");
    Column structured = sixteenDigits.and(placeholder.unary_$bang());

    Column day = substring(digits, 7, 2).try_cast("int");
    Column month = substring(digits, 9, 2).try_cast("int");
    Column twoDigitYear = substring(digits, 11, 2).try_cast("int");
    Column dayOfMonth = womenAddForty ? when(day.gt(40), day.minus(40)).otherwise(day) : day;
    Column dayInRange = womenAddForty ? day.between(1, 31).or(day.between(41, 71)) : day.between(1, 31);
    Column real1900 = realDate(twoDigitYear.plus(1900), month, dayOfMonth);
    Column real2000 = realDate(twoDigitYear.plus(2000), month, dayOfMonth);
    Column past1900 = real1900.and(notAfterReference(twoDigitYear.plus(1900), month, dayOfMonth));
    Column past2000 = real2000.and(notAfterReference(twoDigitYear.plus(2000), month, dayOfMonth));
    // No century in the number: the date must be real and not after the period in 19yy or 20yy.
    Column invalidDate = dayInRange.unary_$bang().or(past1900.or(past2000).unary_$bang());

    Column structuralReasons = array(
        when(notDigits, code(Rule.BUKAN_ANGKA)),
        when(wrongLength, code(Rule.PANJANG_SALAH)),
        when(sixteenDigits.and(placeholder), code(Rule.PLACEHOLDER)),
        when(structured.and(substring(digits, 1, 4).isin(knownKabkota).unary_$bang()), code(Rule.WILAYAH_TIDAK_DIKENAL)),
        when(structured.and(invalidDate), code(Rule.TANGGAL_TIDAK_VALID)),
        when(structured.and(substring(digits, 13, 4).equalTo("0000")), code(Rule.SERIAL_NOL)));
    return when(empty, array(code(Rule.KOSONG)))
        .when(spreadsheet, array(code(Rule.FORMAT_SPREADSHEET)))
        .otherwise(array_compact(structuralReasons));
  }

  /** For NIKs: L or P from the day (over 40 for women); null when the number has no valid day. */
  public static Column sexFromNik(Column raw) {
    Column day = substring(normalized(raw), 7, 2).try_cast("int");
    return when(day.between(41, 71), "P").when(day.between(1, 31), "L");
  }

  private Column code(Rule rule) {
    return lit(prefix + "_" + rule.name());
  }

  /** The reason code a NIK failing {@code rule} carries in {@code nik_alasan}, e.g. NIK_KOSONG. */
  public static String nikReason(Rule rule) {
    return "NIK_" + rule.name();
  }

  /** Whether year-month-day is a date of the calendar (months of 28 to 31 days, leap years). */
  static Column realDate(Column year, Column month, Column day) {
    Column leap = year.mod(4).equalTo(0).and(year.mod(100).notEqual(0).or(year.mod(400).equalTo(0)));
    Column daysInMonth = when(month.equalTo(2), when(leap, 29).otherwise(28))
        .when(month.isin(4, 6, 9, 11), 30)
        .otherwise(31);
    return month.between(1, 12).and(day.between(lit(1), daysInMonth));
  }

  private Column notAfterReference(Column year, Column month, Column day) {
    int reference = referenceDate.getYear() * 10000 + referenceDate.getMonthValue() * 100 + referenceDate.getDayOfMonth();
    return year.multiply(10000).plus(month.multiply(100)).plus(day).leq(reference);
  }

}
