package id.dtks.lakehouse.reference;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import id.dtks.lakehouse.testing.TestSpark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

@ResourceLock(TestLocks.SHARED_REFERENCE)
class LoadReferenceDataTest {
  private final SparkSession spark = TestSpark.session();
  private final Lakehouse lakehouse = TestLakehouse.withReference();

  @Test
  void regionsAtAllFourLevels() {
    Map<String, Long> perLevel = ref("wilayah").groupBy("tingkat").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));

    assertThat(perLevel).containsExactlyInAnyOrderEntriesOf(Map.of(
        "provinsi", 34L, "kabkota", 514L, "kecamatan", 7_230L, "desa", 83_442L));
  }

  @Test
  void kabupatenAndKotaAreTold() {
    Map<String, Long> kinds = ref("wilayah").where(col("tingkat").equalTo("kabkota"))
        .groupBy("jenis_kabkota").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));

    assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("kabupaten", 416L, "kota", 98L));
  }

  @Test
  void everyDesaKnowsItsParents() {
    Row bandung = ref("wilayah").where(col("kode").equalTo("32.73.01.1001")).first();

    assertThat(bandung.<String>getAs("kode_provinsi")).isEqualTo("32");
    assertThat(bandung.<String>getAs("kode_kabkota")).isEqualTo("32.73");
    assertThat(bandung.<String>getAs("kode_kecamatan")).isEqualTo("32.73.01");
  }

  @Test
  void oneDesaOfThe2020ListHasAKecamatanNoListHas() {
    Dataset<Row> wilayah = ref("wilayah");
    Dataset<Row> kecamatan = wilayah.where(col("tingkat").equalTo("kecamatan")).select(col("kode").as("kode_kecamatan"));

    List<Row> orphans = wilayah.where(col("tingkat").equalTo("desa")).join(kecamatan, "kode_kecamatan", "left_anti")
        .select("kode").collectAsList();

    // A quirk of the source (Permendagri 72/2019 as published): the generator places no household there.
    assertThat(orphans).extracting(r -> r.getString(0)).containsExactly("13.02.02.1036");
  }

  @Test
  void populationOfAll514KabupatenKota() {
    Dataset<Row> population = ref("penduduk_kabkota");

    assertThat(population.count()).isEqualTo(514);
    assertThat(population.agg(sum("penduduk_total")).first().getLong(0)).isEqualTo(284_973_643L);
  }

  @Test
  void codeHistoryKeepsCodesOfOlderVintages() {
    Dataset<Row> history = ref("kode_wilayah_histori");

    assertThat(history.count()).isEqualTo(8_457);
    assertThat(history.where(col("vintage_terakhir").lt(2025)).count()).isPositive();
  }

  @Test
  void bpsCrosswalkDiffersFor199Of514() {
    Dataset<Row> kabkota = ref("kabkota_bps");

    assertThat(kabkota.count()).isEqualTo(514);
    assertThat(kabkota.where(col("kode_bps").notEqual(regexp_replace(col("kode_kabkota"), "\\.", ""))).count())
        .isEqualTo(199);
    Row jakartaSelatan = kabkota.where(col("kode_bps").equalTo("3171")).first();
    assertThat(jakartaSelatan.<String>getAs("kode_kabkota")).isEqualTo("31.74");
    assertThat(ref("provinsi_bps").count()).isEqualTo(34);
  }

  @Test
  void aFileWithOtherColumnsFailsTheWholeLoadBeforeAnyWrite() throws IOException {
    Path source = TestLakehouse.workDirectory().resolve("bad-reference");
    Files.createDirectories(source);
    for (ReferenceTable table : ReferenceTable.values()) {
      try (InputStream bundled = getClass().getClassLoader().getResourceAsStream("dtks/reference/" + table.fileName())) {
        Files.write(source.resolve(table.fileName()), bundled.readAllBytes());
      }
    }
    Files.writeString(source.resolve("penduduk-kabkota-2024.csv"), "kode,jumlah\n11.01,1000\n");
    Lakehouse empty = TestLakehouse.fresh("reference-bad-file");

    assertThatThrownBy(() -> LoadReferenceData.into(spark, empty).fromDirectory(Optional.of(source.toString())).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot load reference file " + source + "/penduduk-kabkota-2024.csv: expected the columns "
            + "kode_kabkota_2020,nama,penduduk_laki_laki,penduduk_perempuan,penduduk_total,kode_kabkota_2025, found kode,jumlah");
    assertThat(Path.of(empty.table(Layer.REF, "wilayah"))).doesNotExist();
  }

  private Dataset<Row> ref(String table) {
    return spark.read().format("delta").load(lakehouse.table(Layer.REF, table));
  }
}
