package id.dtks.lakehouse.publish;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_intersect;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.arrays_overlap;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.config.DtksSettings.ProgramRule;
import id.dtks.lakehouse.reference.Program;
import id.dtks.lakehouse.reference.ProgramConditions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Who each program takes in a period, by the rules of {@code dtks.programs} (DOMAIN.md's defaults):
 * ranked households within the program's desil, meeting its household conditions, and, for a
 * household program, with a living member meeting one of its member conditions (paid through the
 * head); for a person program, each living member meeting one. An optional quota per
 * kabupaten/kota keeps the lowest national percentiles. Every unit carries the reason it qualifies.
 */
public final class ProgramEligibility {
  /** The columns of an eligible unit, in table order. */
  static final List<String> COLUMNS = List.of("program", "satuan", "id_rt", "id_art", "nik", "kode_provinsi", "kode_kabkota",
      "kode_kecamatan", "kode_desa", "kode_provinsi_bps", "kode_kabkota_bps", "desil_nasional", "alasan");

  private ProgramEligibility() {}

  /**
   * Eligible units of every program: one row per program and household (household programs) or
   * member (person programs), with {@code nik} the clear NIK of the member paid, null when that NIK
   * is not valid (such a unit cannot be paid until the NIK is fixed).
   *
   * @param households active silver households
   * @param members active silver members
   * @param ranking the period's ranking: id_rt, desil_nasional, persentil_nasional, skor
   */
  public static Dataset<Row> units(Dataset<Row> households, Dataset<Row> members, Dataset<Row> ranking, Map<String, ProgramRule> rules,
      LocalDate referenceDate) {
    List<Column> conditions = new ArrayList<>();
    for (String condition : Program.MEMBER_CONDITIONS) {
      conditions.add(when(ProgramConditions.member(condition, referenceDate), lit(condition)));
    }
    Dataset<Row> living = members.where(ProgramConditions.alive())
        .select(col("id_art"), col("id_rt"), col("nik_bersih"), col("hubungan_krt"),
            array_compact(array(conditions.toArray(Column[]::new))).as("kondisi"));
    // The member a household program pays: the head, or without a living head the living member with the lowest id.
    Dataset<Row> payees = living.groupBy("id_rt").agg(
        min_by(struct(col("id_art"), col("nik_bersih")), struct(when(col("hubungan_krt").equalTo("KEPALA"), 0).otherwise(1),
            col("id_art"))).as("penerima"),
        array_distinct(flatten(collect_list("kondisi"))).as("kondisi_rt"));
    Dataset<Row> ranked = households
        .join(ranking.select("id_rt", "desil_nasional", "persentil_nasional", "skor"), "id_rt")
        .select(col("id_rt"), col("kode_provinsi"), col("kode_kabkota"), col("kode_kecamatan"), col("kode_desa"),
            col("kode_provinsi_bps"), col("kode_kabkota_bps"), col("sumber_penerangan"), col("desil_nasional"),
            col("persentil_nasional"), col("skor"));

    Dataset<Row> all = null;
    for (Program program : Program.values()) {
      ProgramRule rule = rules.get(program.name());
      if (rule == null) {
        throw new IllegalArgumentException("No rule for program " + program + " in dtks.programs");
      }
      Dataset<Row> units = program.unit() == Program.Unit.RUMAH_TANGGA
          ? householdUnits(program, rule, ranked, payees)
          : personUnits(program, rule, ranked, living);
      all = all == null ? units : all.unionByName(units);
    }
    return all;
  }

  private static Dataset<Row> householdUnits(Program program, ProgramRule rule, Dataset<Row> ranked, Dataset<Row> payees) {
    Dataset<Row> taken = ranked.join(payees, "id_rt")
        .where(withinRule(rule).and(meetsMemberConditions(rule, col("kondisi_rt"))));
    return finish(program, rule, taken.select(col("*"), col("penerima.id_art").as("id_art"), col("penerima.nik_bersih").as("nik"),
        col("kondisi_rt").as("kondisi_terpenuhi")));
  }

  private static Dataset<Row> personUnits(Program program, ProgramRule rule, Dataset<Row> ranked, Dataset<Row> living) {
    Dataset<Row> taken = ranked.join(living.select(col("id_rt"), col("id_art"), col("nik_bersih").as("nik"), col("kondisi")), "id_rt")
        .where(withinRule(rule).and(meetsMemberConditions(rule, col("kondisi"))));
    return finish(program, rule, taken.withColumnRenamed("kondisi", "kondisi_terpenuhi"));
  }

  /** The desil bound and every household condition. */
  private static Column withinRule(ProgramRule rule) {
    Column within = col("desil_nasional").leq(rule.desilMax());
    for (String condition : rule.householdConditions()) {
      within = within.and(ProgramConditions.household(condition));
    }
    return within;
  }

  private static Column meetsMemberConditions(ProgramRule rule, Column met) {
    if (rule.memberConditions().isEmpty()) {
      return lit(true);
    }
    return arrays_overlap(met, codes(rule.memberConditions()));
  }

  /** The reason, the quota, and the table's columns. */
  private static Dataset<Row> finish(Program program, ProgramRule rule, Dataset<Row> taken) {
    Column reason = concat(lit("desil "), col("desil_nasional").cast(DataTypes.StringType), lit(" <= " + rule.desilMax()));
    if (!rule.memberConditions().isEmpty()) {
      Column met = array_sort(array_intersect(col("kondisi_terpenuhi"), codes(rule.memberConditions())));
      reason = concat(reason, lit("; anggota: "), array_join(met, ", "));
    }
    if (!rule.householdConditions().isEmpty()) {
      reason = concat(reason, lit("; rumah tangga: " + String.join(", ", rule.householdConditions())));
    }
    if (rule.quotaPerKabkota() > 0) {
      reason = concat(reason, lit("; dalam kuota " + rule.quotaPerKabkota() + " per kabupaten/kota"));
      // A window partitioned by kabupaten/kota: each district's units are ordered on their own.
      Column order = row_number().over(Window.partitionBy("kode_kabkota")
          .orderBy(col("persentil_nasional"), col("skor"), col("id_rt"), col("id_art")));
      taken = taken.withColumn("_urutan", order).where(col("_urutan").leq(rule.quotaPerKabkota()));
    }
    return taken.withColumn("program", lit(program.name()))
        .withColumn("satuan", lit(program.unit().name()))
        .withColumn("alasan", reason)
        .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  private static Column codes(List<String> values) {
    return array(values.stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
  }

  /** Whether an eligible unit can be paid: its NIK is valid (the program systems pay by NIK). */
  static Column payable() {
    return col("nik").isNotNull();
  }
}
