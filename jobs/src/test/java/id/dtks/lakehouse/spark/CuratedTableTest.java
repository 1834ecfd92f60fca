package id.dtks.lakehouse.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

// It sets a session-wide Spark option for a moment: nothing else may run then.
@Isolated
class CuratedTableTest {
  private static final String COALESCE = "spark.sql.adaptive.coalescePartitions.enabled";

  private final SparkSession spark = TestSpark.session();

  @Test
  void clusteredPeriodsGiveEachFileItsOwnRangeOfDistricts(@TempDir Path dir) {
    List<Row> clustered = fileRanges(CuratedTable.at(spark, dir.resolve("clustered").toString(), Set.of("id_rt"), Map.of(), "periode")
        .clusteredBy("kode_provinsi", "kode_kabkota"), dir.resolve("clustered"));
    List<Row> unclustered = fileRanges(CuratedTable.at(spark, dir.resolve("plain").toString(), Set.of("id_rt"), Map.of(), "periode"),
        dir.resolve("plain"));

    assertThat(clustered).hasSizeGreaterThan(1);
    for (int i = 1; i < clustered.size(); i++) {
      assertThat(clustered.get(i).getString(1)).as("file %d starts after file %d ends", i, i - 1)
          .isGreaterThan(clustered.get(i - 1).getString(2));
    }
    // The same rows written without clustering: every file spans (nearly) every district.
    assertThat(unclustered).hasSizeGreaterThan(1)
        .allSatisfy(file -> assertThat(file.getString(1)).isLessThan("12.00"))
        .allSatisfy(file -> assertThat(file.getString(2)).isGreaterThan("90.00"));
    Row detail = DeltaTable.forPath(spark, dir.resolve("clustered").toString()).detail().first();
    assertThat(detail.<String, String>getJavaMap(detail.fieldIndex("properties")))
        .containsEntry(CuratedTable.CLUSTERED_BY_PROPERTY, "kode_provinsi,kode_kabkota");
  }

  /** Writes 20,000 households spread over 89 x 30 district codes (provinces 11 to 99), then gives each file's (file, min, max) district, by min. */
  private List<Row> fileRanges(CuratedTable table, Path path) {
    Dataset<Row> households = spark.range(0, 20_000, 1, 4).select(col("id").as("id_rt"),
            format_string("%02d", pmod(xxhash64(col("id")), lit(89)).plus(11)).as("kode_provinsi"),
            pmod(xxhash64(col("id"), lit(7)), lit(30)).as("kabkota"), lit("2026-11").as("periode"))
        .select(col("id_rt"), col("kode_provinsi"), format_string("%s.%02d", col("kode_provinsi"), col("kabkota")).as("kode_kabkota"),
            col("periode"));
    String coalesce = spark.conf().get(COALESCE);
    // The test's 20,000 rows would fit one partition: keep the shuffle's partitions as they are.
    spark.conf().set(COALESCE, "false");
    try {
      assertThat(table.replacePeriod(households, "2026-11")).isEqualTo(20_000);
    } finally {
      spark.conf().set(COALESCE, coalesce);
    }
    return spark.read().format("delta").load(path.toString()).groupBy(input_file_name().as("file"))
        .agg(min("kode_kabkota"), max("kode_kabkota")).orderBy(col("min(kode_kabkota)")).collectAsList();
  }
}
