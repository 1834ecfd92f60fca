package id.dtks.lakehouse.generate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.xxhash64;

import id.dtks.lakehouse.config.DtksSettings.LakehouseSettings;
import id.dtks.lakehouse.config.DtksSettings.SparkSettings;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.prelist.FieldAssignment;
import id.dtks.lakehouse.reference.LoadReferenceData;
import id.dtks.lakehouse.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The prelist's officer counts at national scale (scripts/bench-prelist): the 2021 update's
 * 41,697,344 households, placed in the 514 kabupaten/kota in proportion to their population and in
 * their desa as the synthetic registry places them ({@link RegionAllocation}; it lives in this
 * package for that), assigned by {@link FieldAssignment} with the default sizes (500 households per
 * enumerator, 5 enumerators per supervisor). Prints a markdown report next to 2021's 83,390
 * enumerators, 16,687 supervisors and 8,732 coordinators.
 *
 * <p>Only the officers are computed: the rows of a prelist at this size come from the full
 * pipeline, which issue 8's benchmark runs.
 */
public final class NationalPrelistOfficers {
  private NationalPrelistOfficers() {}

  public static void main(String[] arguments) throws Exception {
    long households = arguments.length > 0 ? Long.parseLong(arguments[0]) : 41_697_344L;
    Path work = Files.createTempDirectory("dtks-prelist-officers");
    SparkSession spark = SparkSessions.create(new SparkSettings(Optional.of("local[*]"), "dtks-prelist-officers", Map.of(
        "spark.sql.shuffle.partitions", "64", "spark.ui.enabled", "false", "spark.databricks.delta.snapshotPartitions", "2",
        "spark.local.dir", work.resolve("spill").toString())));
    spark.sparkContext().setLogLevel("WARN");
    try {
      long started = System.nanoTime();
      Lakehouse lakehouse = new Lakehouse(new LakehouseSettings(work.resolve("lakehouse").toString(),
          work.resolve("lakehouse/raw").toString()));
      LoadReferenceData.into(spark, lakehouse).fromDirectory(Optional.empty()).execute();
      RegionAllocation allocation = RegionAllocation.from(spark, lakehouse, households, 20210701L, 0.179, 0.2);

      Dataset<Row> placed = spark.range(households).select(col("id").as("id_rt"))
          .withColumn("_kabkota", allocation.kabkotaIndex(col("id_rt")))
          .withColumn("kode_desa", allocation.desaCode(col("_kabkota"), shiftrightunsigned(xxhash64(col("id_rt")), 1)))
          .select(col("id_rt"), col("kode_desa"), substring(col("kode_desa"), 1, 8).as("kode_kecamatan"),
              substring(col("kode_desa"), 1, 5).as("kode_kabkota"));
      Dataset<Row> enumerators = FieldAssignment.assign(placed, new FieldAssignment.Sizes(500, 5))
          .groupBy("id_pencacah").agg(count(lit(1)).as("rt"), first("id_pengawas").as("id_pengawas"),
              first("kode_kecamatan").as("kode_kecamatan"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      Row totals = enumerators.agg(count(lit(1)), countDistinct("id_pengawas"), countDistinct("kode_kecamatan"),
          min("rt"), avg("rt"), max("rt")).first();
      long smallKecamatanEnumerators = enumerators.where(col("rt").lt(250)).count();
      double seconds = (System.nanoTime() - started) / 1e9;

      System.out.printf(Locale.ROOT, """
          ## Prelist officers at national scale

          %,d households placed in the 514 kabupaten/kota by population and in their desa as the
          synthetic registry places them; 500 households per enumerator, 5 enumerators per supervisor.

          | officers | this project | 2021 update (DOMAIN.md) | ratio |
          |---|---:|---:|---:|
          | enumerators (pencacah) | %,d | 83,390 | %.2f |
          | supervisors (pengawas) | %,d | 16,687 | %.2f |
          | kecamatan coordinators | %,d | 8,732 | %.2f |

          Households per enumerator: min %,d, mean %.1f, max %,d; %,d enumerators have fewer than 250
          (their kecamatan has fewer than 250 households). Took %.0f s on %d cores.
          """, households, totals.getLong(0), totals.getLong(0) / 83_390.0, totals.getLong(1), totals.getLong(1) / 16_687.0,
          totals.getLong(2), totals.getLong(2) / 8_732.0, totals.getLong(3), totals.getDouble(4), totals.getLong(5),
          smallKecamatanEnumerators, seconds, Runtime.getRuntime().availableProcessors());
    } finally {
      spark.stop();
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
