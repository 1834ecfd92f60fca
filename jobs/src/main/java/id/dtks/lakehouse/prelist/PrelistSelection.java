package id.dtks.lakehouse.prelist;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.config.DtksSettings.PrelistSettings;
import id.dtks.lakehouse.reference.ProgramConditions;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which households the field update visits, each with every reason that applies
 * ({@link PrelistReason}); a household with none is not on the prelist.
 */
public final class PrelistSelection {
  private PrelistSelection() {}

  /**
   * The inputs of a period.
   *
   * @param households active silver households: id_rt, kode_desa, kode_kecamatan, kode_kabkota,
   *     kode_provinsi, tanggal_update_terakhir, id_operator_terakhir
   * @param members active silver members: id_rt, nik_valid, status_padan, meninggal
   * @param ranking the period's ranking: id_rt, desil_nasional
   * @param operators the period's operator accounts: id_operator, status_akses
   */
  public record Inputs(Dataset<Row> households, Dataset<Row> members, Dataset<Row> ranking, Dataset<Row> operators,
      LocalDate referenceDate) {}

  /** The selected households: the households' columns, desil_nasional (null: not ranked) and alasan, never empty. */
  public static Dataset<Row> select(Inputs in, PrelistSettings rules) {
    Column alive = ProgramConditions.alive();
    Dataset<Row> memberChecks = in.members().groupBy("id_rt").agg(
        max(alive.and(not(coalesce(col("nik_valid"), lit(false))))).as("_nik_tidak_valid"),
        max(alive.and(not(coalesce(col("status_padan").equalTo("PADAN"), lit(false))))).as("_nik_tidak_padan"),
        max(not(alive)).as("_anggota_meninggal"));
    Dataset<Row> revoked = in.operators().where(col("status_akses").equalTo("DICABUT"))
        .select(col("id_operator").as("_operator_dicabut")).distinct();

    Column windowStart = add_months(lit(Date.valueOf(in.referenceDate())), -rules.verivaliWindowMonths());
    List<Column> reasons = new ArrayList<>();
    reasons.add(reason(PrelistReason.DESIL_SASARAN, col("desil_nasional").between(1, rules.desilMax())));
    // In the enum's order whatever the settings' order, so that equal reasons read the same.
    for (PrelistReason reason : PrelistReason.values()) {
      if (!rules.checks().contains(reason.name())) {
        continue;
      }
      reasons.add(reason(reason, switch (reason) {
        case NIK_TIDAK_VALID -> col("_nik_tidak_valid");
        case NIK_TIDAK_PADAN -> col("_nik_tidak_padan");
        case TIDAK_DIPERBARUI -> not(coalesce(col("tanggal_update_terakhir").gt(windowStart), lit(false)));
        case ANGGOTA_MENINGGAL -> col("_anggota_meninggal");
        case OPERATOR_DICABUT -> col("_operator_dicabut").isNotNull();
        case DESIL_SASARAN -> throw new IllegalArgumentException("DESIL_SASARAN is set by desil-max, not a check");
      }));
    }

    return in.households()
        .join(in.ranking().select("id_rt", "desil_nasional"), "id_rt", "left")
        .join(memberChecks, "id_rt", "left")
        .join(broadcast(revoked), col("id_operator_terakhir").equalTo(col("_operator_dicabut")), "left")
        .withColumn("alasan", array_compact(array(reasons.toArray(Column[]::new))))
        .where(size(col("alasan")).gt(0))
        .drop("_nik_tidak_valid", "_nik_tidak_padan", "_anggota_meninggal", "_operator_dicabut");
  }

  /** The reason's code when {@code applies} is true; null (dropped) when false or unknown. */
  private static Column reason(PrelistReason reason, Column applies) {
    return when(coalesce(applies, lit(false)), lit(reason.name()));
  }
}
