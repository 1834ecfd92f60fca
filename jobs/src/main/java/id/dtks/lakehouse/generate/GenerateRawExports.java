package id.dtks.lakehouse.generate;

import static id.dtks.lakehouse.generate.SyntheticRegistry.householdId;
import static id.dtks.lakehouse.generate.SyntheticRegistry.memberId;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.config.DtksSettings.DefectRates;
import id.dtks.lakehouse.config.DtksSettings.GeneratorSettings;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.Writes;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes one period's raw parquet exports of a synthetic registry ({@link RawExport}), with the
 * configured defects injected. Deterministic: the same seed, scale and period give the same rows
 * whatever the partitioning. Needs the ref layer (regions and population).
 */
public final class GenerateRawExports {
  /** One raw file holds about this many households (and four times as many members). */
  private static final long HOUSEHOLDS_PER_FILE = 2_000_000;
  /** Welfare below which a household belongs, roughly, to the poorest 40% of people. */
  private static final double POOREST_40_WELFARE = -0.2;
  /** Program rows for people outside the registry, as a share of households (inclusion errors). */
  private static final double OUTSIDE_REGISTRY_SHARE = 0.002;
  /** Household ids of members whose household is missing from the export (orphans) start here. */
  static final long ORPHAN_HOUSEHOLD_IDS = 1_000_000_000_000L;
  /** Household ids of program recipients outside the registry start here. */
  static final long OUTSIDE_REGISTRY_HOUSEHOLD_IDS = 2_000_000_000_000L;

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private GeneratorSettings settings;
  private Period period;
  private int partitions;
  private Progress progress;

  private GenerateRawExports(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static GenerateRawExports into(SparkSession spark, Lakehouse lakehouse) {
    return new GenerateRawExports(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  public GenerateRawExports settings(GeneratorSettings generatorSettings) {
    this.settings = Objects.requireNonNull(generatorSettings, "generatorSettings");
    return this;
  }

  public GenerateRawExports period(Period reportingPeriod) {
    this.period = Objects.requireNonNull(reportingPeriod, "period");
    return this;
  }

  /** Spark partitions (= files per table); 0 or unset picks from the scale and the cluster. */
  public GenerateRawExports partitions(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("Cannot generate with " + count + " partitions: must be 0 (automatic) or more");
    }
    this.partitions = count;
    return this;
  }

  public GenerateRawExports progress(Progress stepProgress) {
    this.progress = stepProgress;
    return this;
  }

  /** Rows written per export, and where. */
  public record Result(Period period, String location, Map<RawExport, Long> rowsWritten) implements Progress.RowCount {
    @Override
    public long rows() {
      return rowsWritten.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public Result execute() {
    if (settings == null || period == null) {
      throw new IllegalStateException("Cannot generate: settings and period are required");
    }
    Progress steps = progress != null ? progress : new Progress(spark, "generate");
    RegionAllocation regions = steps.step("place households in the 514 kabupaten/kota", () -> {
      RegionAllocation allocation = RegionAllocation.from(spark, lakehouse, settings.households(), settings.seed(),
          settings.neverUpdatingKabkotaShare(), settings.activeKabkotaShare());
      return new Progress.Counted<>(allocation, allocation.kabkotaCodes.length);
    }).value();
    SyntheticRegistry registry = new SyntheticRegistry(settings, regions, period);
    int slices = partitions > 0 ? partitions
        : (int) Math.max(spark.sparkContext().defaultParallelism(),
            (settings.households() + HOUSEHOLDS_PER_FILE - 1) / HOUSEHOLDS_PER_FILE);
    Dataset<Row> numbers = spark.range(0, settings.households(), 1, slices).withColumnRenamed("id", "h");
    Dataset<Row> households = registry.householdFacts(numbers);
    Dataset<Row> members = members(registry, registry.memberFacts(households));

    Map<RawExport, Supplier<Dataset<Row>>> builders = new EnumMap<>(RawExport.class);
    builders.put(RawExport.RUMAH_TANGGA, () -> households(registry, households));
    builders.put(RawExport.ANGGOTA_RUMAH_TANGGA, () -> members);
    builders.put(RawExport.PADAN_DUKCAPIL, () -> dukcapilMatches(registry, members));
    builders.put(RawExport.PENERIMA_PROGRAM, () -> programRecipients(registry, households, members));
    builders.put(RawExport.VERIVALI, () -> verivaliUpdates(registry, households));
    builders.put(RawExport.OPERATOR, () -> operators(registry, slices));
    builders.put(RawExport.SURVEI_KONSUMSI, () -> surveySample(registry, households));

    Map<RawExport, Long> written = new EnumMap<>(RawExport.class);
    builders.forEach((export, builder) -> {
      String path = lakehouse.rawTable(period, export.folder());
      Dataset<Row> rows = builder.get().select(columnsOf(export));
      long count = steps.step("write " + export.folder(), () -> {
        long n = Writes.replaceParquet(rows, path);
        return () -> n;
      }).rows();
      written.put(export, count);
    });
    return new Result(period, lakehouse.rawPeriod(period), written);
  }

  private static Column[] columnsOf(RawExport export) {
    return java.util.Arrays.stream(export.schema().fields())
        .map(f -> col(f.name()).cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new);
  }

  // ---- the exports --------------------------------------------------------------------------

  private Dataset<Row> households(SyntheticRegistry r, Dataset<Row> facts) {
    Column h = col("h");
    DefectRates defects = r.settings.defects();
    Column unknownRegion = r.draws.uniform("defect-region", h).lt(defects.unknownRegion());
    Column impossible = r.draws.uniform("defect-household-value", h).lt(defects.impossibleHouseholdValue());
    Column duplicated = r.draws.uniform("defect-duplicate-household", h).lt(defects.duplicateHousehold());
    Column area = r.floorArea(h);
    Column rooms = r.proxy(h, "rooms", new double[] {0.25, 0.35, 0.25, 0.15}, new String[] {"1", "2", "3", "4"}).cast("int");
    Column negativeArea = r.draws.uniform("impossible-kind", h).lt(0.5);
    Column unknownDesa = concat(substring(col("desa"), 1, 9), lit("9"),
        lpad(r.draws.below(1000, "unknown-desa", h).cast("string"), 3, "0"));
    return facts
        .select(col("*"), explode(sequence(lit(1), when(duplicated, 2).otherwise(1))).as("copy"))
        .select(
            householdId(h).as("id_rt"),
            when(unknownRegion, unknownDesa).otherwise(col("desa")).as("kode_desa"),
            date_add(lit(LocalDate.of(2015, 6, 1)), r.draws.below(120, "enumerated", h).cast("int")).as("tanggal_pendataan"),
            col("size").as("jumlah_anggota"),
            when(impossible.and(negativeArea), area.unary_$minus()).otherwise(area).as("luas_lantai_m2"),
            when(impossible.and(negativeArea.unary_$bang()), area.cast("int").plus(5)).otherwise(rooms).as("jumlah_kamar"),
            r.proxy(h, "floor", new double[] {0.07, 0.08, 0.3, 0.5, 0.05},
                RawExport.codes("jenis_lantai")).as("jenis_lantai"),
            r.proxy(h, "wall", new double[] {0.06, 0.14, 0.15, 0.65},
                RawExport.codes("jenis_dinding")).as("jenis_dinding"),
            r.proxy(h, "roof", new double[] {0.04, 0.46, 0.4, 0.1},
                RawExport.codes("jenis_atap")).as("jenis_atap"),
            r.proxy(h, "water", new double[] {0.05, 0.12, 0.38, 0.2, 0.25},
                RawExport.codes("sumber_air_minum")).as("sumber_air_minum"),
            r.proxy(h, "sanitation", new double[] {0.07, 0.13, 0.8},
                RawExport.codes("fasilitas_bab")).as("fasilitas_bab"),
            lighting(r, h).as("sumber_penerangan"),
            r.proxy(h, "cooking", new double[] {0.12, 0.02, 0.7, 0.14, 0.02},
                RawExport.codes("bahan_bakar_memasak")).as("bahan_bakar_memasak"),
            Draws.pick(r.draws.uniform("tenure", h), new double[] {0.82, 0.09, 0.07, 0.02},
                RawExport.codes("status_kepemilikan_rumah")).as("status_kepemilikan_rumah"),
            r.hasAsset(h, "fridge", 0.55).as("punya_lemari_es"),
            r.hasAsset(h, "air-conditioner", 0.1).as("punya_ac"),
            r.hasAsset(h, "motorcycle", 0.8).as("punya_sepeda_motor"),
            r.hasAsset(h, "car", 0.12).as("punya_mobil"),
            r.hasAsset(h, "gold", 0.2).as("punya_emas_10_gram"),
            r.hasAsset(h, "land", 0.35).as("punya_lahan"));
  }

  /**
   * Members with every column of the export, plus h, m and the hidden facts the other exports need
   * (nik_clean: the NIK is the member's own, well formed; age_years; welfare).
   */
  private Dataset<Row> members(SyntheticRegistry r, Dataset<Row> facts) {
    Column h = col("h");
    Column m = col("m");
    DefectRates defects = r.settings.defects();
    Column clean = col("clean_nik");
    Column u = r.draws.uniform("defect-nik", h, m);
    double missing = defects.nikMissing();
    double malformed = missing + defects.nikMalformed();
    double spreadsheet = malformed + defects.nikSpreadsheet();
    double within = spreadsheet + defects.nikDuplicateWithinHousehold();
    double across = within + defects.nikDuplicateAcrossHouseholds();
    Column variant = r.draws.uniform("defect-nik-variant", h, m);
    Column nik = when(u.lt(missing), when(variant.lt(0.5), lit(null).cast("string")).otherwise(lit("")))
        .when(u.lt(malformed), when(variant.lt(0.3), substring(clean, 1, 15))
            .when(variant.lt(0.6), concat(substring(clean, 1, 7), lit("O"), substring(clean, 9, 8)))
            .when(variant.lt(0.8), concat(clean, lit("7")))
            .otherwise(lit("1111111111111111")))
        .when(u.lt(spreadsheet), when(variant.lt(0.5), concat(substring(clean, 1, 1), lit("."), substring(clean, 2, 5), lit("E+15")))
            .otherwise(concat(clean, lit(".0"))))
        // Within a household only members after the head copy a NIK: the head's.
        .when(u.lt(within), when(m.geq(2), col("head_nik")).otherwise(clean))
        .when(u.lt(across), col("previous_head_nik"))
        .otherwise(clean);
    Column impossibleBirth = r.draws.uniform("defect-birth-date", h, m).lt(defects.impossibleBirthDate());
    Column birth = when(impossibleBirth, when(r.draws.uniform("defect-birth-kind", h, m).lt(0.5),
            date_add(lit(r.period.referenceDate()), r.draws.below(365, "future-birth", h, m).plus(1).cast("int")))
        .otherwise(date_add(lit(LocalDate.of(1880, 1, 1)), r.draws.below(3650, "ancient-birth", h, m).cast("int"))))
        .otherwise(col("birth_date"));
    Column orphan = r.draws.uniform("defect-orphan", h, m).lt(defects.orphanMember());
    return facts.select(
        h, m,
        memberId(h, m).as("id_art"),
        when(orphan, householdId(h).plus(ORPHAN_HOUSEHOLD_IDS)).otherwise(householdId(h)).as("id_rt"),
        nik.as("nik"),
        u.geq(across).or(u.geq(within).and(m.equalTo(1))).as("nik_clean"),
        col("nkk"),
        r.name(h, m).as("nama"),
        r.sex().as("jenis_kelamin"),
        birth.as("tanggal_lahir"),
        col("relationship").as("hubungan_krt"),
        r.education(h, m).as("pendidikan_tertinggi"),
        r.schooling(h, m).as("status_sekolah"),
        r.work(h, m).as("status_pekerjaan"),
        r.disability(h, m).as("disabilitas"),
        r.pregnant(h, m).as("hamil"),
        col("age_years"),
        col("welfare"));
  }

  private Dataset<Row> dukcapilMatches(SyntheticRegistry r, Dataset<Row> members) {
    Column h = col("h");
    Column m = col("m");
    Column dead = r.draws.uniform("defect-dead", h, m).lt(r.settings.defects().deadMemberListed());
    Column matched = dead.or(col("nik_clean").and(r.draws.uniform("dukcapil-match", h, m).lt(r.settings.dukcapilMatchShare())));
    // Deaths fall in the three years before the age anchor, whatever the period, so a dead
    // member's record is the same in every period's export.
    Column deathDate = date_add(lit(SyntheticRegistry.AGE_ANCHOR), r.draws.below(1095, "death-date", h, m).plus(1).cast("int").unary_$minus());
    return members
        .where(col("nik").isNotNull().and(col("nik").notEqual("")))
        .select(
            col("id_art"),
            col("nik"),
            when(matched, "PADAN").otherwise("TIDAK_PADAN").as("hasil_padan"),
            when(dead, "MENINGGAL").when(matched, "HIDUP").as("status_hidup"),
            when(dead, deathDate).as("tanggal_meninggal"));
  }

  private Dataset<Row> programRecipients(SyntheticRegistry r, Dataset<Row> households, Dataset<Row> members) {
    Column h = col("h");
    Dataset<Row> householdPrograms = households
        .select(h, explode(array(
            when(r.draws.uniform("bpnt", h).lt(reach(0.1).multiply(0.8).plus(0.02)), lit("BPNT")),
            when(r.draws.uniform("pkh", h).lt(reach(0.1).multiply(0.55).plus(0.01).multiply(when(col("size").geq(3), 1.0).otherwise(0.3))),
                lit("PKH")),
            when(lighting(r, h).isin("PLN_450VA", "PLN_900VA").and(r.draws.uniform("energy", h).lt(reach(0.1).multiply(0.85).plus(0.05))),
                lit("SUBSIDI_LISTRIK")))).as("program"))
        .where(col("program").isNotNull())
        .select(col("program"), householdId(h).as("id_rt"), memberId(h, lit(1)).as("id_art"), lit(null).cast("string").as("nik"));

    Dataset<Row> memberPrograms = members
        .select(col("*"), explode(array(
            when(r.draws.uniform("pbi-jk", h).lt(reach(0.15).multiply(0.85).plus(0.05)), lit("PBI_JK")),
            when(col("status_sekolah").equalTo("MASIH_SEKOLAH").and(col("age_years").between(6, 21))
                .and(r.draws.uniform("kip", h).lt(reach(0.15).multiply(0.75).plus(0.02))), lit("KIP")))).as("program"))
        .where(col("program").isNotNull())
        .select(col("program"), col("id_rt"), col("id_art"), col("nik"));

    // People the programs pay who are not in the registry at all: ids past the registry's, with
    // well-formed NIKs of people no household lists.
    long outside = Math.round(r.settings.households() * OUTSIDE_REGISTRY_SHARE);
    Column o = col("id");
    Column serial = lpad(r.draws.below(9999, "outside-serial", o).plus(1).cast("string"), 4, "0");
    Dataset<Row> outsideRegistry = spark.range(0, outside, 1, 1)
        .select(
            Draws.pickOf(r.draws.uniform("outside-program", o), RawExport.codes("program")).as("program"),
            o.plus(OUTSIDE_REGISTRY_HOUSEHOLD_IDS).as("id_rt"),
            lit(null).cast("long").as("id_art"),
            concat(r.regions.historicKecamatan(r.draws.below(1L << 30, "outside-region", o)),
                SyntheticRegistry.ddmmyy(r.draws.below(28, "outside-day", o).plus(1), r.draws.below(12, "outside-month", o).plus(1),
                    r.draws.below(60, "outside-year", o).plus(1940)), serial).as("nik"));
    return householdPrograms.unionByName(memberPrograms).unionByName(outsideRegistry);
  }

  /**
   * How likely a program reaches a household: near 1 well below the poorest-40% welfare line, near
   * 0 well above it; {@code spread} sets how blurred the line is (targeting errors both ways).
   */
  private static Column reach(double spread) {
    Column belowLine = lit(POOREST_40_WELFARE).minus(col("welfare")).divide(spread);
    return lit(1.0).divide(lit(1.0).plus(exp(belowLine.unary_$minus())));
  }

  private static Column lighting(SyntheticRegistry r, Column h) {
    return r.proxy(h, "lighting", new double[] {0.02, 0.23, 0.4, 0.25, 0.1}, RawExport.codes("sumber_penerangan"));
  }

  private Dataset<Row> verivaliUpdates(SyntheticRegistry r, Dataset<Row> households) {
    Column h = col("h");
    Column j = col("j");
    Column k = col("k");
    Column day = r.updateDay(h, j);
    Column start = r.regions.operatorStart(k);
    Column chosen = start.plus(r.draws.below(1L << 30, "operator", h, j).mod(r.regions.operatorCount(k)));
    Column chosenLocal = chosen.minus(start);
    Column revokedBefore = operatorRevoked(r, chosen, chosenLocal).and(operatorRevokedDay(r, chosen, chosenLocal).lt(day));
    Column byRevoked = r.draws.uniform("defect-revoked-operator", h, j).lt(r.settings.defects().updateByRevokedOperator())
        .and(firstAccountRevokedDay(r, start).lt(day));
    // Normal updates never come from an account after its revocation: the district's second
    // account (never revoked) takes them. Defect rows come from the first account, revoked early.
    Column operator = when(byRevoked, start).when(revokedBefore, start.plus(1)).otherwise(chosen);
    return households
        .where(col("latest_update").isNotNull())
        .select(h, k, col("interval_days"), explode(array(col("latest_update"), col("latest_update").minus(1))).as("j"))
        .where(j.geq(0))
        .select(
            householdId(h).multiply(1000).plus(j).as("id_update"),
            householdId(h).as("id_rt"),
            operator.plus(1).as("id_operator"),
            date_add(lit(LocalDate.EPOCH), day).as("tanggal_update"),
            Draws.pick(r.draws.uniform("update-status", h, j), new double[] {0.955, 0.015, 0.015, 0.015},
                RawExport.codes("status_rt")).as("status_rt"),
            when(r.draws.uniform("app", h, j).lt(0.6), "SIKS-NG").otherwise("SIKS-DROID").as("aplikasi"));
  }

  /** The first account of every district was revoked early; others with the configured share. */
  private static Column operatorRevoked(SyntheticRegistry r, Column operator, Column local) {
    return local.equalTo(0).or(local.geq(2).and(r.draws.uniform("operator-revoked", operator).lt(r.settings.revokedOperatorShare())));
  }

  private static Column operatorRevokedDay(SyntheticRegistry r, Column operator, Column local) {
    Column later = lit(LocalDate.of(2019, 1, 1).toEpochDay()).plus(r.draws.below(2737, "revoked-day", operator));
    return when(local.equalTo(0), firstAccountRevokedDay(r, operator)).otherwise(later).cast("int");
  }

  /** A district's first account was revoked between mid 2016 and the end of 2019. */
  private static Column firstAccountRevokedDay(SyntheticRegistry r, Column operator) {
    return lit(LocalDate.of(2016, 6, 1).toEpochDay()).plus(r.draws.below(1300, "revoked-early", operator)).cast("int");
  }

  private Dataset<Row> operators(SyntheticRegistry r, int slices) {
    Column o = col("id");
    Column k = r.regions.kabkotaOfOperator(o);
    Column local = o.minus(r.regions.operatorStart(k));
    Column revokedDay = operatorRevokedDay(r, o, local);
    Column revoked = operatorRevoked(r, o, local).and(revokedDay.leq(r.period.referenceDate().toEpochDay()));
    return spark.range(0, r.regions.totalOperators(), 1, slices)
        .select(
            o.plus(1).as("id_operator"),
            r.regions.kabkotaCode(k).as("kode_kabkota"),
            date_add(lit(LocalDate.of(2015, 6, 1)), r.draws.below(360, "operator-start", o).cast("int")).as("tanggal_mulai"),
            when(revoked, "DICABUT").otherwise("AKTIF").as("status_akses"),
            when(revoked, date_add(lit(LocalDate.EPOCH), revokedDay)).as("tanggal_dicabut"));
  }

  private Dataset<Row> surveySample(SyntheticRegistry r, Dataset<Row> households) {
    Column h = col("h");
    double share = r.settings.surveyShare();
    return households
        .where(r.draws.uniform("survey", h).lt(share))
        .select(
            householdId(h).as("id_rt"),
            r.surveyDate(h).as("tanggal_survei"),
            round(exp(r.logConsumptionPerCapita().plus(r.draws.normal("survey-error", h).multiply(0.1))), 0).as("pengeluaran_per_kapita"),
            lit(share > 0 ? 1.0 / share : 0.0).as("bobot"));
  }
}
