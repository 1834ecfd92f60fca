package id.dtks.lakehouse.coverage;

import static id.dtks.lakehouse.coverage.CoverageDictionary.HALF_OR_MORE;
import static id.dtks.lakehouse.coverage.CoverageDictionary.KABKOTA;
import static id.dtks.lakehouse.coverage.CoverageDictionary.NATIONAL;
import static id.dtks.lakehouse.coverage.CoverageDictionary.NEVER_UPDATED;
import static id.dtks.lakehouse.coverage.CoverageDictionary.NO_REGION;
import static id.dtks.lakehouse.coverage.CoverageDictionary.PROVINCE;
import static id.dtks.lakehouse.coverage.CoverageDictionary.UNDER_HALF;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.grouping_id;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.conform.IdentityNumberRules;
import id.dtks.lakehouse.conform.IdentityNumberRules.Rule;
import id.dtks.lakehouse.reference.Program;
import id.dtks.lakehouse.reference.Program.Unit;
import id.dtks.lakehouse.reference.ProgramConditions;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The coverage and quality statistics of DOMAIN.md for every kabupaten/kota, province and the
 * nation, as pure functions of the tables they come from (the job reads them, a test builds them).
 *
 * <p>Each source is read once: members are summed per household, households (with their members'
 * sums, their desil and their program receipts) per kabupaten/kota, and recipients per kabupaten/kota
 * and program. Those results hold one row per region (at most 514 × 5), so the roll-up to provinces
 * and the nation (one {@code ROLLUP} each) costs nothing, and the rates are computed at the end,
 * from counts, at every level.
 */
public final class CoverageStatistics {
  /** PKH's components (DOMAIN.md): pregnant, under 6, aged 6-21 in school, 60 or older, severely disabled. */
  private static final List<String> PKH_COMPONENTS = List.of("HAMIL", "BALITA", "SEKOLAH_6_21", "LANSIA_60", "DISABILITAS_BERAT");

  /**
   * The inputs, already narrowed to the period.
   *
   * @param regions the 514 kabupaten/kota: kode_provinsi, nama_provinsi, kode_kabkota, nama_kabkota
   * @param population kode_kabkota, penduduk
   * @param households active silver households: id_rt, kode_kabkota, jumlah_anggota_hidup, jumlah_update,
   *     tanggal_update_terakhir, id_operator_terakhir, sumber_penerangan
   * @param members active silver members: id_art, id_rt, nik_valid, nik_alasan, jenis_kelamin_cocok,
   *     nik_duplikat_dalam_rt, nik_duplikat_antar_rt, status_padan, meninggal, tanggal_lahir, status_sekolah,
   *     hamil, disabilitas
   * @param ranking the period's ranking: id_rt, desil_nasional
   * @param recipients the period's program recipients: program, id_rt, id_art, nik
   * @param operators the period's operator accounts: id_operator, kode_kabkota, status_akses
   */
  public record Inputs(Dataset<Row> regions, Dataset<Row> population, Dataset<Row> households, Dataset<Row> members,
      Dataset<Row> ranking, Dataset<Row> recipients, Dataset<Row> operators, LocalDate referenceDate, int windowMonths) {
    public Inputs {
      Objects.requireNonNull(referenceDate, "referenceDate");
      if (windowMonths < 1) {
        throw new IllegalArgumentException("The verivali window must be at least 1 month, not " + windowMonths);
      }
    }
  }

  /**
   * Per-kabupaten/kota sums, one row per region (and program): small, and read by both tables, so the
   * caller may cache them. {@code households} also carries the rows whose kabupaten/kota is none of
   * the 514 (there should be none: ingest checks every desa code).
   */
  public record KabkotaSums(Dataset<Row> households, Dataset<Row> recipients, Dataset<Row> operators) {}

  private CoverageStatistics() {}

  /** Everything the two tables need, summed per kabupaten/kota: the only pass over the large tables. */
  public static KabkotaSums sums(Inputs in) {
    return new KabkotaSums(householdSums(in), recipientSums(in), operatorSums(in));
  }

  /** {@code gold.cakupan_wilayah} without the period: 514 + 34 + 1 rows in the dictionary's column order. */
  public static Dataset<Row> regions(Inputs in, KabkotaSums sums, String period) {
    List<String> counts = regionCounts();
    Dataset<Row> kabkota = in.regions()
        .join(in.population(), "kode_kabkota", "left")
        .join(sums.households(), "kode_kabkota", "left")
        .join(sums.operators(), "kode_kabkota", "left");
    List<Column> filled = new ArrayList<>(List.of(col("kode_provinsi"), col("nama_provinsi"), col("kode_kabkota"),
        col("nama_kabkota"), col("tanggal_update_terakhir")));
    for (String count : counts) {
      filled.add(coalesce(col(count), lit(0L)).as(count));
    }
    kabkota = kabkota.select(filled.toArray(Column[]::new));
    // The activity class is a kabupaten/kota's; provinces and the nation count their kabupaten/kota per class.
    Column kabkotaClass = activityClass(col("rt_pernah_diperbarui"), col("rt_diperbarui_dalam_jendela"), col("rumah_tangga"));
    kabkota = kabkota
        .withColumn("kabkota_tidak_pernah", when(kabkotaClass.equalTo(NEVER_UPDATED), 1L).otherwise(0L))
        .withColumn("kabkota_di_bawah_50_persen", when(kabkotaClass.equalTo(UNDER_HALF), 1L).otherwise(0L))
        .withColumn("kabkota_50_persen_atau_lebih", when(kabkotaClass.equalTo(HALF_OR_MORE), 1L).otherwise(0L));

    List<Column> aggregates = new ArrayList<>();
    aggregates.add(max("nama_provinsi").as("nama_provinsi"));
    aggregates.add(max("nama_kabkota").as("nama_kabkota"));
    aggregates.add(count(lit(1)).as("jumlah_kabkota"));
    aggregates.add(max("tanggal_update_terakhir").as("tanggal_update_terakhir"));
    for (String count : counts) {
      aggregates.add(sum(count).as(count));
    }
    for (String count : List.of("kabkota_tidak_pernah", "kabkota_di_bawah_50_persen", "kabkota_50_persen_atau_lebih")) {
      aggregates.add(sum(count).as(count));
    }
    aggregates.add(grouping_id().as("_level"));
    Dataset<Row> levels = kabkota.rollup(col("kode_provinsi"), col("kode_kabkota"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    // grouping_id: 0 kabupaten/kota, 1 province (kabupaten/kota rolled up), 3 the nation.
    Column level = when(col("_level").equalTo(0), KABKOTA).when(col("_level").equalTo(1), PROVINCE).otherwise(NATIONAL);
    levels = levels
        .withColumn("tingkat", level)
        .withColumn("nama_provinsi", when(col("_level").equalTo(3), lit(null).cast(DataTypes.StringType)).otherwise(col("nama_provinsi")))
        .withColumn("nama_kabkota", when(col("_level").equalTo(0), col("nama_kabkota")).otherwise(lit(null).cast(DataTypes.StringType)))
        .withColumn("periode", lit(period));

    List<Column> columns = new ArrayList<>();
    for (CoverageDictionary.Entry entry : CoverageDictionary.REGIONS) {
      columns.add(regionColumn(entry.name()).cast(entry.type()).as(entry.name()));
    }
    return levels.select(columns.toArray(Column[]::new));
  }

  /** {@code gold.cakupan_program} without the period: (514 + 34 + 1 + 1) rows per program. */
  public static Dataset<Row> programs(Inputs in, KabkotaSums sums, String period) {
    List<String> counts = List.of("penerima", "penerima_dalam_registri", "penerima_di_luar_desil_1_4", "penerima_di_luar_registri",
        "sasaran_desil_1_4", "sasaran_tidak_menerima");
    // Targets come from the household sums, one (program, kabupaten/kota) row per program.
    Dataset<Row> targets = null;
    for (Program program : Program.values()) {
      String key = program.name().toLowerCase(Locale.ROOT);
      Dataset<Row> one = sums.households().select(col("kode_kabkota"), lit(program.name()).as("program"),
          col("sasaran_" + key).as("sasaran_desil_1_4"), col("tidak_menerima_" + key).as("sasaran_tidak_menerima"));
      targets = targets == null ? one : targets.unionByName(one);
    }
    Dataset<Row> programList = in.regions().sparkSession().createDataFrame(
        java.util.Arrays.stream(Program.values()).map(p -> org.apache.spark.sql.RowFactory.create(p.name(), p.unit().name())).toList(),
        new org.apache.spark.sql.types.StructType().add("program", DataTypes.StringType).add("satuan", DataTypes.StringType));
    // Every kabupaten/kota, and the no-region row (null codes), for every program.
    Dataset<Row> places = in.regions().select("kode_provinsi", "nama_provinsi", "kode_kabkota", "nama_kabkota")
        .unionByName(in.regions().sparkSession().sql("SELECT CAST(NULL AS STRING) kode_provinsi, CAST(NULL AS STRING) nama_provinsi, "
            + "CAST(NULL AS STRING) kode_kabkota, CAST(NULL AS STRING) nama_kabkota"));
    Column sameKabkota = col("g.kode_kabkota").eqNullSafe(col("s.kode_kabkota"));
    Dataset<Row> grid = places.crossJoin(broadcast(programList)).as("g");
    Dataset<Row> joined = grid
        .join(sums.recipients().as("s"), sameKabkota.and(col("g.program").equalTo(col("s.program"))), "left")
        .select(col("g.*"), col("penerima"), col("penerima_dalam_registri"), col("penerima_di_luar_desil_1_4"),
            col("penerima_di_luar_registri")).as("g")
        .join(targets.as("s"), sameKabkota.and(col("g.program").equalTo(col("s.program"))), "left")
        .select(col("g.*"), col("sasaran_desil_1_4"), col("sasaran_tidak_menerima"));
    List<Column> filled = new ArrayList<>(List.of(col("kode_provinsi"), col("nama_provinsi"), col("kode_kabkota"),
        col("nama_kabkota"), col("program"), col("satuan")));
    for (String count : counts) {
      filled.add(coalesce(col(count), lit(0L)).as(count));
    }
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(max("nama_kabkota").as("nama_kabkota"));
    aggregates.add(max("satuan").as("satuan"));
    for (String count : counts) {
      aggregates.add(sum(count).as(count));
    }
    aggregates.add(grouping_id().as("_level"));
    Dataset<Row> levels = joined.select(filled.toArray(Column[]::new))
        .rollup(col("program"), col("kode_provinsi"), col("nama_provinsi"), col("kode_kabkota"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        // grouping_id over (program, kode_provinsi, nama_provinsi, kode_kabkota): 0 kabupaten/kota (and the
        // no-region rows), 1 province, 7 the nation; 3 repeats the provinces without names, 15 adds up all programs.
        .where(col("_level").isin(0, 1, 7))
        // A province row with no province is the no-region rows rolled up again: the nation already holds them.
        .where(not(col("_level").equalTo(1).and(col("kode_provinsi").isNull())));
    Column level = when(col("_level").equalTo(7), NATIONAL)
        .when(col("_level").equalTo(1), PROVINCE)
        .when(col("kode_kabkota").isNull(), NO_REGION)
        .otherwise(KABKOTA);
    levels = levels
        .withColumn("tingkat", level)
        .withColumn("nama_kabkota", when(col("_level").equalTo(0), col("nama_kabkota")).otherwise(lit(null).cast(DataTypes.StringType)))
        .withColumn("porsi_penerima_salah_sasaran",
            ratio(col("penerima_di_luar_desil_1_4").plus(col("penerima_di_luar_registri")), col("penerima")))
        .withColumn("porsi_sasaran_tidak_menerima", ratio(col("sasaran_tidak_menerima"), col("sasaran_desil_1_4")))
        .withColumn("periode", lit(period));
    List<Column> columns = new ArrayList<>();
    for (CoverageDictionary.Entry entry : CoverageDictionary.PROGRAMS) {
      columns.add(col(entry.name()).cast(entry.type()).as(entry.name()));
    }
    return levels.select(columns.toArray(Column[]::new));
  }

  /** The stored counts of {@code cakupan_wilayah} that come from the sums and add up across regions. */
  private static List<String> regionCounts() {
    List<String> counts = new ArrayList<>();
    for (CoverageDictionary.Entry entry : CoverageDictionary.REGIONS) {
      boolean derived = entry.type().equals("DOUBLE") || entry.name().startsWith("kabkota_") || entry.name().equals("jumlah_kabkota");
      if (entry.type().equals("BIGINT") && !derived) {
        counts.add(entry.name());
      }
    }
    return counts;
  }

  /** A region column after the roll-up: stored as it is, or one of the rates, computed here from counts. */
  private static Column regionColumn(String name) {
    return switch (name) {
      case "cakupan_individu" -> ratio(col("individu"), col("penduduk"));
      case "porsi_penduduk_desil_1_4" -> ratio(col("individu_desil_1_4"), col("penduduk"));
      case "porsi_penduduk_desil_1_6" -> ratio(col("individu_desil_1_6"), col("penduduk"));
      case "tingkat_pembaruan" -> ratio(col("rt_diperbarui_dalam_jendela"), col("rumah_tangga"));
      case "kelas_aktivitas" -> activityClass(col("rt_pernah_diperbarui"), col("rt_diperbarui_dalam_jendela"), col("rumah_tangga"));
      case "porsi_nik_valid" -> ratio(col("nik_valid"), col("anggota"));
      case "tingkat_padan" -> ratio(col("padan_dukcapil"), col("anggota"));
      case "rt_per_operator_aktif" -> ratio(col("rumah_tangga"), col("operator_aktif"));
      default -> col(name);
    };
  }

  /** {@code part / whole}; null when {@code whole} is 0, never NaN or infinite. */
  static Column ratio(Column part, Column whole) {
    return when(whole.gt(0), part.cast(DataTypes.DoubleType).divide(whole.cast(DataTypes.DoubleType)));
  }

  private static Column activityClass(Column everUpdated, Column updatedInWindow, Column households) {
    return when(everUpdated.equalTo(0), lit(NEVER_UPDATED))
        .when(updatedInWindow.multiply(2).lt(households), lit(UNDER_HALF))
        .otherwise(lit(HALF_OR_MORE));
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  private static Column sumIf(Column condition, Column value) {
    return sum(when(condition, value).otherwise(0L));
  }

  /** Members summed per household: NIK quality, living members, program targets among them. */
  private static Dataset<Row> memberSums(Inputs in) {
    // DOMAIN.md's default targets: KIP takes members 6-21 in school, PKH households with a member meeting any component.
    Column alive = ProgramConditions.alive();
    Column kipTarget = alive.and(ProgramConditions.member("SEKOLAH_6_21", in.referenceDate()));
    Column pkhComponent = lit(false);
    for (String component : PKH_COMPONENTS) {
      pkhComponent = pkhComponent.or(ProgramConditions.member(component, in.referenceDate()));
    }
    pkhComponent = alive.and(pkhComponent);
    Dataset<Row> personReceipts = in.recipients()
        .where(col("program").isin(Program.codes(Unit.INDIVIDU).toArray()).and(col("id_art").isNotNull()))
        .groupBy("id_art").agg(
            max(col("program").equalTo(Program.PBI_JK.name())).as("menerima_pbi_jk"),
            max(col("program").equalTo(Program.KIP.name())).as("menerima_kip"));
    Column receivesPbi = coalesce(col("menerima_pbi_jk"), lit(false));
    Column receivesKip = coalesce(col("menerima_kip"), lit(false));

    List<Column> aggregates = new ArrayList<>();
    aggregates.add(countIf(coalesce(col("nik_valid"), lit(false))).as("nik_valid"));
    for (Rule rule : Rule.values()) {
      aggregates.add(countIf(coalesce(array_contains(col("nik_alasan"), IdentityNumberRules.nikReason(rule)), lit(false)))
          .as("nik_" + rule.name().toLowerCase(Locale.ROOT)));
    }
    aggregates.add(countIf(col("jenis_kelamin_cocok").equalTo(false)).as("nik_jenis_kelamin_tidak_cocok"));
    aggregates.add(countIf(coalesce(col("nik_duplikat_dalam_rt"), lit(false))).as("nik_duplikat_dalam_rt"));
    aggregates.add(countIf(coalesce(col("nik_duplikat_antar_rt"), lit(false))).as("nik_duplikat_antar_rt"));
    aggregates.add(countIf(col("status_padan").equalTo("PADAN")).as("padan_dukcapil"));
    aggregates.add(countIf(not(alive)).as("meninggal_masih_terdaftar"));
    aggregates.add(countIf(alive).as("_hidup"));
    aggregates.add(countIf(alive.and(not(receivesPbi))).as("_hidup_tanpa_pbi_jk"));
    aggregates.add(countIf(kipTarget).as("_sasaran_kip"));
    aggregates.add(countIf(kipTarget.and(not(receivesKip))).as("_sasaran_kip_tanpa_kip"));
    aggregates.add(max(pkhComponent).as("_komponen_pkh"));
    return in.members().join(personReceipts, "id_art", "left")
        .groupBy("id_rt")
        .agg(count(lit(1)).as("anggota"), aggregates.toArray(Column[]::new));
  }

  /** Households with their members' sums, desil and receipts, summed per kabupaten/kota. */
  private static Dataset<Row> householdSums(Inputs in) {
    Dataset<Row> householdReceipts = in.recipients()
        .where(col("program").isin(Program.codes(Unit.RUMAH_TANGGA).toArray()))
        .groupBy("id_rt").agg(
            max(col("program").equalTo(Program.PKH.name())).as("menerima_pkh"),
            max(col("program").equalTo(Program.BPNT.name())).as("menerima_bpnt"),
            max(col("program").equalTo(Program.SUBSIDI_LISTRIK.name())).as("menerima_subsidi_listrik"));
    Dataset<Row> revoked = in.operators().where(col("status_akses").equalTo("DICABUT"))
        .select(col("id_operator").as("_operator_dicabut")).distinct();

    Dataset<Row> households = in.households()
        .join(in.ranking().select("id_rt", "desil_nasional"), "id_rt", "left")
        .join(memberSums(in), "id_rt", "left")
        .join(householdReceipts, "id_rt", "left")
        .join(broadcast(revoked), col("id_operator_terakhir").equalTo(col("_operator_dicabut")), "left");

    Column size = coalesce(col("jumlah_anggota_hidup").cast(DataTypes.LongType), lit(0L));
    Column desil = col("desil_nasional");
    Column poorest40 = coalesce(desil.between(1, 4), lit(false));
    Column windowStart = add_months(lit(Date.valueOf(in.referenceDate())), -in.windowMonths());
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(sum(size).as("individu"));
    aggregates.add(countIf(desil.isNotNull()).as("rumah_tangga_diperingkat"));
    aggregates.add(sumIf(desil.isNotNull(), size).as("individu_diperingkat"));
    for (int d = 1; d <= 10; d++) {
      aggregates.add(countIf(desil.equalTo(d)).as("rt_desil_" + d));
    }
    for (int d = 1; d <= 10; d++) {
      aggregates.add(sumIf(desil.equalTo(d), size).as("individu_desil_" + d));
    }
    aggregates.add(countIf(poorest40).as("rt_desil_1_4"));
    aggregates.add(sumIf(poorest40, size).as("individu_desil_1_4"));
    aggregates.add(countIf(desil.between(1, 6)).as("rt_desil_1_6"));
    aggregates.add(sumIf(desil.between(1, 6), size).as("individu_desil_1_6"));
    aggregates.add(countIf(col("jumlah_update").gt(0)).as("rt_pernah_diperbarui"));
    aggregates.add(countIf(col("tanggal_update_terakhir").gt(windowStart)).as("rt_diperbarui_dalam_jendela"));
    aggregates.add(max("tanggal_update_terakhir").as("tanggal_update_terakhir"));
    aggregates.add(countIf(col("_operator_dicabut").isNotNull()).as("rt_update_terakhir_operator_dicabut"));
    for (String member : List.of("anggota", "nik_valid")) {
      aggregates.add(sum(coalesce(col(member), lit(0L))).as(member));
    }
    for (Rule rule : Rule.values()) {
      String name = "nik_" + rule.name().toLowerCase(Locale.ROOT);
      aggregates.add(sum(coalesce(col(name), lit(0L))).as(name));
    }
    for (String member : List.of("nik_jenis_kelamin_tidak_cocok", "nik_duplikat_dalam_rt", "nik_duplikat_antar_rt",
        "padan_dukcapil", "meninggal_masih_terdaftar")) {
      aggregates.add(sum(coalesce(col(member), lit(0L))).as(member));
    }
    // Program targets in desil 1-4 (DOMAIN.md's default rules) and those of them not receiving.
    Column pkhTarget = poorest40.and(coalesce(col("_komponen_pkh"), lit(false)));
    Column energyTarget = poorest40.and(ProgramConditions.household("DAYA_450_900"));
    aggregates.add(countIf(pkhTarget).as("sasaran_pkh"));
    aggregates.add(countIf(pkhTarget.and(not(coalesce(col("menerima_pkh"), lit(false))))).as("tidak_menerima_pkh"));
    aggregates.add(countIf(poorest40).as("sasaran_bpnt"));
    aggregates.add(countIf(poorest40.and(not(coalesce(col("menerima_bpnt"), lit(false))))).as("tidak_menerima_bpnt"));
    aggregates.add(countIf(energyTarget).as("sasaran_subsidi_listrik"));
    aggregates.add(countIf(energyTarget.and(not(coalesce(col("menerima_subsidi_listrik"), lit(false)))))
        .as("tidak_menerima_subsidi_listrik"));
    aggregates.add(sumIf(poorest40, coalesce(col("_hidup"), lit(0L))).as("sasaran_pbi_jk"));
    aggregates.add(sumIf(poorest40, coalesce(col("_hidup_tanpa_pbi_jk"), lit(0L))).as("tidak_menerima_pbi_jk"));
    aggregates.add(sumIf(poorest40, coalesce(col("_sasaran_kip"), lit(0L))).as("sasaran_kip"));
    aggregates.add(sumIf(poorest40, coalesce(col("_sasaran_kip_tanpa_kip"), lit(0L))).as("tidak_menerima_kip"));
    return households.groupBy("kode_kabkota").agg(count(lit(1)).as("rumah_tangga"), aggregates.toArray(Column[]::new));
  }

  /**
   * Distinct recipients per program and kabupaten/kota: the household's, or for recipients outside
   * the registry the kabupaten/kota that issued their NIK when it is one of the 514 (null otherwise).
   */
  private static Dataset<Row> recipientSums(Inputs in) {
    Column householdProgram = col("program").isin(Program.codes(Unit.RUMAH_TANGGA).toArray());
    Column unit = when(householdProgram, concat(lit("rt:"), col("id_rt").cast(DataTypes.StringType)))
        .otherwise(coalesce(concat(lit("art:"), col("id_art").cast(DataTypes.StringType)), concat(lit("nik:"), col("nik")),
            concat(lit("rt:"), col("id_rt").cast(DataTypes.StringType))));
    Dataset<Row> units = in.recipients().groupBy(col("program"), unit.as("_unit"))
        .agg(min("id_rt").as("id_rt"), min("nik").as("nik"));
    Dataset<Row> registry = in.households().select(col("id_rt"), col("kode_kabkota").as("_kabkota_rt"))
        .join(in.ranking().select("id_rt", "desil_nasional"), "id_rt", "left");
    Column digits = IdentityNumberRules.normalized(col("nik"));
    Column nikKabkota = when(digits.rlike("^[0-9]{16}$"), concat(substring(digits, 1, 2), lit("."), substring(digits, 3, 2)));
    Dataset<Row> known = in.regions().select(col("kode_kabkota").as("_kabkota_nik"));
    Column inRegistry = col("_kabkota_rt").isNotNull();
    return units.join(registry, "id_rt", "left")
        .join(broadcast(known), nikKabkota.equalTo(col("_kabkota_nik")), "left")
        .withColumn("kode_kabkota", when(inRegistry, col("_kabkota_rt")).otherwise(col("_kabkota_nik")))
        .groupBy("kode_kabkota", "program").agg(
            count(lit(1)).as("penerima"),
            countIf(inRegistry).as("penerima_dalam_registri"),
            countIf(inRegistry.and(not(coalesce(col("desil_nasional").between(1, 4), lit(false))))).as("penerima_di_luar_desil_1_4"),
            countIf(not(inRegistry)).as("penerima_di_luar_registri"));
  }

  private static Dataset<Row> operatorSums(Inputs in) {
    return in.operators().groupBy("kode_kabkota").agg(
        countIf(col("status_akses").equalTo("AKTIF")).as("operator_aktif"),
        countIf(col("status_akses").equalTo("DICABUT")).as("operator_dicabut"));
  }
}
