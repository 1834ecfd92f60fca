package id.dtks.lakehouse.generate;

import static id.dtks.lakehouse.generate.Draws.level;
import static id.dtks.lakehouse.generate.Draws.pick;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import id.dtks.lakehouse.config.DtksSettings.GeneratorSettings;
import id.dtks.lakehouse.lakehouse.Period;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The synthetic registry. Every value is a function of (seed, household number h, member number
 * m), so any household can be described from its number alone: the NIK a member copies from
 * another household is that household's head's NIK, computed again.
 *
 * <p>The model: a hidden welfare level per household (district level plus a household draw, lower
 * for larger households, with a small shock at every verivali update) drives log per-capita
 * consumption, the housing and asset proxies, education and program receipt. Households change
 * only when verivali updates them, so a later period differs from an earlier one exactly in the
 * households updated in between.
 *
 * <p>Facts are computed in stages ({@link #householdFacts}, then {@link #memberFacts}) and kept as
 * columns, so that each is evaluated once per row and the generated code stays small.
 */
final class SyntheticRegistry {
  /** Ages and birth dates are fixed against this date, so they do not move between periods. */
  static final LocalDate AGE_ANCHOR = LocalDate.of(2025, 7, 1);
  /** Verivali updates start after the 2015 data collection (PBDT 2015). */
  static final LocalDate UPDATES_START = LocalDate.of(2016, 1, 1);
  /** National level of log monthly per-capita consumption (about Rp 1.1 million). */
  static final double LOG_CONSUMPTION_LEVEL = 13.9;
  /** Spread of the welfare level, to standardise it for the proxies. */
  static final double WELFARE_SD = 0.6;
  /** Share of NIKs issued outside the household's kecamatan (people who moved). */
  static final double NIK_ISSUED_ELSEWHERE = 0.12;
  private static final double PROXY_NOISE = 0.9;
  private static final double PROXY_SD = Math.sqrt(1 + PROXY_NOISE * PROXY_NOISE);

  private static final double[] SIZE_SHARES = {0.09, 0.17, 0.22, 0.22, 0.15, 0.08, 0.04, 0.015, 0.01, 0.005};
  private static final String[] MALE_NAMES = {"Budi", "Agus", "Ahmad", "Muhammad", "Joko", "Slamet", "Andi",
      "Rudi", "Dedi", "Hendra", "Bambang", "Yusuf", "Rizki", "Eko", "Hasan", "Wayan", "Made", "Yohanes"};
  private static final String[] FEMALE_NAMES = {"Siti", "Sri", "Dewi", "Nur", "Rina", "Yuni", "Wati", "Lestari",
      "Ani", "Fitri", "Ratna", "Indah", "Putri", "Maria", "Aisyah", "Ketut", "Ayu", "Wulan"};
  private static final String[] FAMILY_NAMES = {"Saputra", "Wijaya", "Hidayat", "Santoso", "Pratama", "Nugroho",
      "Siregar", "Nasution", "Harahap", "Simanjuntak", "Kurniawan", "Rahman", "Setiawan", "Lubis", "Sitompul",
      "Manurung", "Tanjung", "Hakim", "Suryadi", "Wibowo"};

  final Draws draws;
  final RegionAllocation regions;
  final GeneratorSettings settings;
  final Period period;
  private final long referenceDay;

  SyntheticRegistry(GeneratorSettings settings, RegionAllocation regions, Period period) {
    this.draws = new Draws(settings.seed());
    this.regions = regions;
    this.settings = settings;
    this.period = period;
    this.referenceDay = period.referenceDate().toEpochDay();
  }

  /** The household id of household number h: ids start at 1. */
  static Column householdId(Column h) {
    return h.plus(1);
  }

  static Column memberId(Column h, Column m) {
    return householdId(h).multiply(100).plus(m);
  }

  // ---- households ---------------------------------------------------------------------------

  /**
   * One row per household number {@code h} with its facts: k (district index), desa, kecamatan
   * (undotted), size, married, head_male, head_age, latest_update (null: never updated), welfare,
   * head_nik (the head's clean NIK) and previous_head_nik (that of the head of household h-1), for
   * copied NIKs.
   */
  Dataset<Row> householdFacts(Dataset<Row> numbers) {
    Column h = col("h");
    Column previous = col("h_previous");
    return numbers
        .select(h, when(h.equalTo(0), lit(settings.households() - 1)).otherwise(h.minus(1)).as("h_previous"))
        .select(h, previous, regions.kabkotaIndex(h).as("k"), regions.kabkotaIndex(previous).as("k_previous"))
        .select(h, previous, col("k"),
            regions.desaCode(col("k"), draws.below(1L << 30, "desa", h)).as("desa"),
            regions.desaCode(col("k_previous"), draws.below(1L << 30, "desa", previous)).as("desa_previous"))
        .select(h, previous, col("k"), col("desa"),
            undotted(substring(col("desa"), 1, 8)).as("kecamatan"),
            undotted(substring(col("desa_previous"), 1, 8)).as("kecamatan_previous"),
            size(h).as("size"), married(h).as("married"), headIsMale(h).as("head_male"), headAgeYears(h).as("head_age"),
            intervalDays(h, col("k")).as("interval_days"))
        .withColumn("latest_update", latestUpdate(h, col("interval_days")))
        .withColumn("lasting_welfare", lastingWelfare(h, col("k"), col("size")))
        .withColumn("welfare", welfare(h, col("lasting_welfare"), col("latest_update")))
        .withColumn("nkk", familyCardNumber(h))
        .withColumn("head_nik", nik(h, lit(1), col("kecamatan"), col("head_male"), birthDate(col("head_age"))))
        .withColumn("previous_head_nik", nik(previous, lit(1), col("kecamatan_previous"),
            headIsMale(previous), birthDate(headAgeYears(previous))))
        .drop("h_previous", "kecamatan_previous");
  }

  private static Column undotted(Column code) {
    return regexp_replace(code, "\\.", "");
  }

  private Column size(Column h) {
    String[] sizes = new String[SIZE_SHARES.length];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = String.valueOf(i + 1);
    }
    return pick(draws.uniform("size", h), SIZE_SHARES, sizes).cast("int");
  }

  private Column married(Column h) {
    return size(h).geq(2).and(draws.uniform("married", h).lt(0.8));
  }

  private Column headIsMale(Column h) {
    return draws.uniform("head-sex", h).lt(when(married(h), 0.93).otherwise(0.55));
  }

  private Column headAgeYears(Column h) {
    return lit(22.0).plus(pow(draws.uniform("head-age", h), 1.3).multiply(55.0));
  }

  /**
   * Days between a household's verivali updates: its district's rhythm (by activity class), varied
   * per household. Null in districts that never update.
   */
  private Column intervalDays(Column h, Column k) {
    Column districtDraw = draws.uniform("district-rhythm", k);
    Column activity = regions.activityClass(k);
    Column months = when(activity.equalTo("HALF_OR_MORE"), districtDraw.multiply(28).plus(14))
        .when(activity.equalTo("UNDER_HALF"), districtDraw.multiply(150).plus(50));
    return months.multiply(30.44).multiply(draws.uniform("household-rhythm", h).multiply(0.4).plus(0.8));
  }

  /**
   * Number (0-based) of the household's latest update on or before the period's end; null: never.
   * Update j falls on day floor(start + phase + j * interval), which is on or before the last day
   * exactly when start + phase + j * interval < last day + 1.
   */
  private Column latestUpdate(Column h, Column intervalDays) {
    Column untilDayAfter = lit(referenceDay + 1 - UPDATES_START.toEpochDay()).minus(phaseDays(h, intervalDays));
    Column latest = ceil(untilDayAfter.divide(intervalDays)).minus(1);
    return when(latest.geq(0), latest);
  }

  private Column phaseDays(Column h, Column intervalDays) {
    return draws.uniform("update-phase", h).multiply(intervalDays);
  }

  /** Epoch day of update {@code j} of household h (needs the interval_days column). */
  Column updateDay(Column h, Column j) {
    Column interval = col("interval_days");
    return floor(lit(UPDATES_START.toEpochDay()).plus(phaseDays(h, interval)).plus(j.multiply(interval))).cast("int");
  }

  /** The lasting part of welfare (district, household, size): what education and schooling follow. */
  private Column lastingWelfare(Column h, Column k, Column size) {
    return regions.welfareOffset(k)
        .plus(draws.normal("welfare", h).multiply(0.5))
        .minus(size.minus(4).multiply(0.08));
  }

  /** Hidden welfare, log consumption relative to the national level: lasting part plus a shock per update. */
  private Column welfare(Column h, Column lastingWelfare, Column latestUpdate) {
    Column shock = when(latestUpdate.isNull(), lit(0.0))
        .otherwise(draws.normal("update-shock", h, latestUpdate).multiply(0.15));
    return lastingWelfare.plus(shock);
  }

  /** Needs the welfare column. */
  Column logConsumptionPerCapita() {
    return col("welfare").plus(LOG_CONSUMPTION_LEVEL);
  }

  /** A proxy's latent: standardised welfare plus noise redrawn at each update (needs welfare, latest_update). */
  private Column proxyLatent(Column h, String proxy) {
    Column salt = when(col("latest_update").isNull(), lit(-1L)).otherwise(col("latest_update"));
    return col("welfare").divide(WELFARE_SD).plus(draws.normal("proxy-" + proxy, h, salt).multiply(PROXY_NOISE));
  }

  /** A categorical proxy whose labels run from poorest to richest, each with its national share. */
  Column proxy(Column h, String proxy, double[] shares, String[] labels) {
    return level(proxyLatent(h, proxy), PROXY_SD, shares, labels);
  }

  /** An asset that the richest {@code share} of households own. */
  Column hasAsset(Column h, String asset, double share) {
    return proxyLatent(h, asset).gt(PROXY_SD * Draws.inverseNormal(1 - share));
  }

  Column floorArea(Column h) {
    return round(exp(proxyLatent(h, "floor-area").multiply(0.35).plus(Math.log(45))).plus(col("size").multiply(4)), 1);
  }

  Column surveyDate(Column h) {
    return date_add(lit(period.referenceDate().withDayOfMonth(1).minusMonths(8)), draws.below(28, "survey-day", h).cast("int"));
  }

  /** The family card number: issued where the family lives, on an issue date, with a serial. */
  private Column familyCardNumber(Column h) {
    Column issued = date_add(lit(AGE_ANCHOR), draws.below(15 * 365, "kk-issued", h).cast("int").unary_$minus());
    Column serial = lpad(draws.below(9999, "kk-serial", h).plus(1).cast("string"), 4, "0");
    return concat(col("kecamatan"), ddmmyy(dayofmonth(issued), month(issued), year(issued)), serial);
  }

  /** DDMMYY as NIK and KK numbers write dates (lpad, not format_string: that one is slow per row). */
  static Column ddmmyy(Column day, Column month, Column year) {
    return concat(twoDigits(day), twoDigits(month), twoDigits(year.mod(100)));
  }

  private static Column twoDigits(Column number) {
    return lpad(number.cast("string"), 2, "0");
  }

  // ---- members ------------------------------------------------------------------------------

  /**
   * One row per member of each household of {@code households} (from {@link #householdFacts}):
   * the household's columns plus m, relationship, male, age_years, birth_date and clean_nik.
   */
  Dataset<Row> memberFacts(Dataset<Row> households) {
    Column h = col("h");
    Column m = col("m");
    return households
        .select(col("*"), explode(sequence(lit(1), col("size"))).as("m"))
        .withColumn("relationship", relationship(h, m))
        .withColumn("male", isMale(h, m, col("relationship")))
        .withColumn("age_years", ageYears(h, m, col("relationship")))
        .withColumn("birth_date", birthDate(col("age_years")))
        .withColumn("clean_nik", nik(h, m, col("kecamatan"), col("male"), col("birth_date")));
  }

  private Column relationship(Column h, Column m) {
    Column other = pick(draws.uniform("relationship", h, m),
        new double[] {0.86, 0.05, 0.04, 0.03, 0.02},
        new String[] {"ANAK", "CUCU", "ORANG_TUA", "FAMILI_LAIN", "LAINNYA"});
    return when(m.equalTo(1), "KEPALA").when(m.equalTo(2).and(col("married")), "PASANGAN").otherwise(other);
  }

  private Column isMale(Column h, Column m, Column relationship) {
    return when(relationship.equalTo("KEPALA"), col("head_male"))
        .when(relationship.equalTo("PASANGAN"), col("head_male").unary_$bang())
        .otherwise(draws.uniform("sex", h, m).lt(0.51));
  }

  private Column ageYears(Column h, Column m, Column relationship) {
    Column head = col("head_age");
    Column u = draws.uniform("age", h, m);
    return when(relationship.equalTo("KEPALA"), head)
        .when(relationship.equalTo("PASANGAN"), greatest(lit(17.0), head.minus(3).plus(draws.normal("spouse-age", h, m).multiply(4))))
        .when(relationship.equalTo("ANAK"), u.multiply(least(lit(32.0), greatest(lit(1.0), head.minus(17)))))
        .when(relationship.equalTo("CUCU"), u.multiply(least(lit(14.0), greatest(lit(1.0), head.minus(36)))))
        .when(relationship.equalTo("ORANG_TUA"), head.plus(20).plus(u.multiply(15)))
        .otherwise(u.multiply(60).plus(5));
  }

  private static Column birthDate(Column ageYears) {
    return date_add(lit(AGE_ANCHOR), ageYears.multiply(-365.25).cast("int"));
  }

  /**
   * A NIK of the real structure: place of issue (the household's kecamatan, or for people who
   * moved any kecamatan of the 2016-2025 lists), birth date DDMMYY with 40 added to the day for
   * women, and a serial from 0001.
   */
  private Column nik(Column h, Column m, Column householdKecamatan, Column male, Column birthDate) {
    Column issuedElsewhere = draws.uniform("nik-region", h, m).lt(NIK_ISSUED_ELSEWHERE);
    Column region = when(issuedElsewhere, regions.historicKecamatan(draws.below(1L << 30, "nik-region-code", h, m)))
        .otherwise(householdKecamatan);
    Column day = dayofmonth(birthDate).plus(when(male, 0).otherwise(40));
    Column serial = lpad(draws.below(9999, "nik-serial", h, m).plus(1).cast("string"), 4, "0");
    return concat(region, ddmmyy(day, month(birthDate), year(birthDate)), serial);
  }

  /** Needs the member facts. */
  Column name(Column h, Column m) {
    Column first = when(col("male"), Draws.pickOf(draws.uniform("first-name", h, m), MALE_NAMES))
        .otherwise(Draws.pickOf(draws.uniform("first-name", h, m), FEMALE_NAMES));
    return concat(first, lit(" "), Draws.pickOf(draws.uniform("family-name", h, m), FAMILY_NAMES));
  }

  Column sex() {
    return when(col("male"), "L").otherwise("P");
  }

  Column education(Column h, Column m) {
    Column age = col("age_years");
    Column adult = level(col("lasting_welfare").divide(WELFARE_SD).plus(draws.normal("education", h, m)), PROXY_SD,
        new double[] {0.07, 0.33, 0.21, 0.29, 0.10},
        RawExport.codes("pendidikan_tertinggi"));
    return when(age.lt(7), "TIDAK_SEKOLAH").when(age.lt(13), "SD").when(age.lt(16), "SMP")
        .when(age.lt(19), when(draws.uniform("education-teen", h, m).lt(0.8), "SMA").otherwise("SMP"))
        .otherwise(adult);
  }

  Column schooling(Column h, Column m) {
    Column age = col("age_years");
    Column welfare = col("lasting_welfare");
    Column u = draws.uniform("schooling", h, m);
    Column inSchool = when(age.lt(5), lit(false))
        .when(age.lt(7), u.lt(0.5))
        .when(age.lt(16), u.lt(0.96))
        .when(age.lt(19), u.lt(lit(0.6).plus(welfare.multiply(0.3))))
        .when(age.lt(22), u.lt(lit(0.25).plus(welfare.multiply(0.2))))
        .otherwise(u.lt(0.01));
    return when(inSchool, "MASIH_SEKOLAH").when(age.lt(7), "BELUM_SEKOLAH").otherwise("TIDAK_SEKOLAH_LAGI");
  }

  Column work(Column h, Column m) {
    Column age = col("age_years");
    Column working = pick(draws.uniform("work", h, m),
        new double[] {0.3, 0.25, 0.28, 0.1, 0.07},
        RawExport.codes("status_pekerjaan"));
    return when(age.lt(15), "TIDAK_BEKERJA")
        .when(age.geq(65).and(draws.uniform("retired", h, m).lt(0.6)), "TIDAK_BEKERJA")
        .otherwise(working);
  }

  Column disability(Column h, Column m) {
    Column elderly = col("age_years").geq(60);
    Column severeShare = when(elderly, 0.04).otherwise(0.007);
    Column u = draws.uniform("disability", h, m);
    return when(u.lt(severeShare), "BERAT").when(u.lt(severeShare.multiply(3)), "RINGAN").otherwise("TIDAK");
  }

  Column pregnant(Column h, Column m) {
    return col("male").unary_$bang().and(col("age_years").between(15, 49)).and(draws.uniform("pregnant", h, m).lt(0.05));
  }
}
