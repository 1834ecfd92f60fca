package id.dtks.lakehouse.prelist;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Assigns the prelist's households to field officers, deterministically for the same input.
 *
 * <ul>
 *   <li><b>Enumerators</b> (pencacah) work inside one kecamatan. A kecamatan with {@code n}
 *       households gets {@code k = max(1, round(n / target))} of them, and its households, in desa
 *       then household-id order (neighbours together), are cut into {@code k} consecutive runs of
 *       {@code floor(n/k)} or {@code ceil(n/k)}: an enumerator's households lie in as few desa as
 *       the order allows. Each enumerator thus has between half and one and a half times the target,
 *       except in a kecamatan with fewer than half the target, whose one enumerator has them all.
 *   <li><b>Supervisors</b> (pengawas) lead about {@code enumerators-per-supervisor} enumerators of
 *       one kabupaten/kota: its {@code m} enumerators, in kecamatan order, are cut into
 *       {@code ceil(m / per-supervisor)} consecutive groups of equal size (at most one apart).
 *   <li><b>Coordinators</b> (koordinator kecamatan): one per kecamatan with work.
 * </ul>
 *
 * <p>Scales with the country: the only windows are partitioned by kecamatan (households) and by
 * kabupaten/kota (enumerators, one row per about 500 households).
 */
public final class FieldAssignment {
  private FieldAssignment() {}

  /** How many households an enumerator should have, and enumerators a supervisor. */
  public record Sizes(int householdsPerEnumerator, int enumeratorsPerSupervisor) {
    public Sizes {
      if (householdsPerEnumerator < 1 || enumeratorsPerSupervisor < 1) {
        throw new IllegalArgumentException("Households per enumerator and enumerators per supervisor must be at least 1, not "
            + householdsPerEnumerator + " and " + enumeratorsPerSupervisor);
      }
    }
  }

  /**
   * {@code households} (id_rt, kode_desa, kode_kecamatan, kode_kabkota and any other columns) with
   * {@code urutan_kunjungan} (visit order within the enumerator, from 1), {@code id_pencacah},
   * {@code id_pengawas} and {@code id_koordinator} added.
   */
  public static Dataset<Row> assign(Dataset<Row> households, Sizes sizes) {
    WindowSpec inKecamatan = Window.partitionBy("kode_kecamatan");
    Dataset<Row> numbered = households
        .withColumn("_urutan_kecamatan", row_number().over(inKecamatan.orderBy(col("kode_desa"), col("id_rt"))))
        .withColumn("_rt_kecamatan", count(lit(1)).over(inKecamatan));
    // k = max(1, round(n / target)); household i (from 0) of n goes to enumerator floor(i * k / n).
    Column enumerators = greatest(lit(1L), floor(col("_rt_kecamatan").divide(sizes.householdsPerEnumerator()).plus(0.5)));
    Dataset<Row> withEnumerator = numbered
        .withColumn("_pencacah_ke", floor(col("_urutan_kecamatan").minus(1).multiply(enumerators).divide(col("_rt_kecamatan"))))
        .withColumn("id_pencacah", concat(lit("P-"), col("kode_kecamatan"),
            format_string("-%03d", col("_pencacah_ke").plus(1))));

    Dataset<Row> supervisors = supervisors(withEnumerator, sizes);
    Dataset<Row> assigned = withEnumerator.join(broadcast(supervisors), "id_pencacah")
        .withColumn("urutan_kunjungan", row_number().over(Window.partitionBy("id_pencacah").orderBy(col("_urutan_kecamatan"))))
        .withColumn("id_koordinator", concat(lit("K-"), col("kode_kecamatan")));
    return assigned.drop("_urutan_kecamatan", "_rt_kecamatan", "_pencacah_ke");
  }

  /** One row per enumerator (id_pencacah, id_pengawas): the enumerators of a kabupaten/kota in groups. */
  private static Dataset<Row> supervisors(Dataset<Row> withEnumerator, Sizes sizes) {
    Dataset<Row> enumerators = withEnumerator.groupBy("kode_kabkota", "kode_kecamatan", "_pencacah_ke", "id_pencacah")
        .agg(max(lit(1)).as("_satu"));
    WindowSpec inKabkota = Window.partitionBy("kode_kabkota");
    Column groups = ceil(col("_pencacah_kabkota").divide(sizes.enumeratorsPerSupervisor()));
    return enumerators
        .withColumn("_urutan_kabkota", row_number().over(inKabkota.orderBy(col("kode_kecamatan"), col("_pencacah_ke"))))
        .withColumn("_pencacah_kabkota", sum("_satu").over(inKabkota))
        .withColumn("_pengawas_ke", floor(col("_urutan_kabkota").minus(1).multiply(groups).divide(col("_pencacah_kabkota"))))
        .select(col("id_pencacah"), concat(lit("S-"), col("kode_kabkota"), format_string("-%03d", col("_pengawas_ke").plus(1)))
            .as("id_pengawas"));
  }
}
