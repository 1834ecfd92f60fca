package id.dtks.lakehouse.reference;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.Writes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Loads the reference CSVs (the copies bundled in the jar, or a configured folder) into the Delta
 * tables of the {@code ref} layer, replacing them whole. Every file is read and checked before the
 * first table is written, so a bad file leaves all ref tables as they were.
 */
public final class LoadReferenceData {
  static final String BUNDLED_FOLDER = "dtks/reference/";

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private Optional<String> sourceDir = Optional.empty();

  private LoadReferenceData(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.lakehouse = lakehouse;
  }

  public static LoadReferenceData into(SparkSession spark, Lakehouse lakehouse) {
    return new LoadReferenceData(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(lakehouse, "lakehouse"));
  }

  /** Reads the CSVs from this folder instead of the bundled copies. */
  public LoadReferenceData fromDirectory(Optional<String> directory) {
    this.sourceDir = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /** Rows written per ref table. */
  public record Result(Map<ReferenceTable, Long> rowsWritten) implements Progress.RowCount {
    @Override
    public long rows() {
      return rowsWritten.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public Result execute() {
    Map<ReferenceTable, Dataset<Row>> tables = new EnumMap<>(ReferenceTable.class);
    for (ReferenceTable table : ReferenceTable.values()) {
      tables.put(table, conform(table, read(table)).cache());
    }
    // Force every read (FAILFAST) before the first write: one bad file must not leave half the layer new.
    tables.values().forEach(Dataset::count);
    Map<ReferenceTable, Long> written = new EnumMap<>(ReferenceTable.class);
    try {
      tables.forEach((table, rows) -> written.put(table, Writes.replaceDelta(rows, lakehouse.table(Layer.REF, table.tableName()))));
    } finally {
      tables.values().forEach(Dataset::unpersist);
    }
    return new Result(written);
  }

  private Dataset<Row> read(ReferenceTable table) {
    List<String> lines = sourceDir.isPresent() ? readFromDirectory(table) : readBundled(table);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("Cannot load reference file " + source(table) + ": it is empty");
    }
    List<String> header = Arrays.stream(lines.get(0).replace("\uFEFF", "").split(",")).map(String::strip).toList();
    if (!header.equals(table.expectedHeader())) {
      throw new IllegalArgumentException("Cannot load reference file " + source(table) + ": expected the columns "
          + String.join(",", table.expectedHeader()) + ", found " + String.join(",", header));
    }
    Dataset<String> text = spark.createDataset(lines, Encoders.STRING());
    return spark.read()
        .schema(table.sourceSchema())
        .option("header", "true")
        .option("mode", "FAILFAST")
        .option("enforceSchema", "false")
        .csv(text);
  }

  private String source(ReferenceTable table) {
    return sourceDir.map(dir -> dir + "/" + table.fileName()).orElse("classpath:" + BUNDLED_FOLDER + table.fileName());
  }

  private static List<String> readBundled(ReferenceTable table) {
    String resource = BUNDLED_FOLDER + table.fileName();
    InputStream in = LoadReferenceData.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("Cannot load reference file classpath:" + resource + ": it is not in the jar");
    }
    return readLines(in, "classpath:" + resource);
  }

  private List<String> readFromDirectory(ReferenceTable table) {
    String path = sourceDir.orElseThrow() + "/" + table.fileName();
    try {
      // Reference files are small and bounded (at most 91,220 lines): reading them on the driver is fine.
      return spark.read().textFile(path).collectAsList().stream().filter(line -> !line.isBlank()).toList();
    } catch (Exception e) { // AnalysisException (no such file) is thrown undeclared by Scala
      throw new IllegalArgumentException("Cannot load reference file " + path + " (dtks.reference.source-dir): "
          + e.getMessage(), e);
    }
  }

  private static List<String> readLines(InputStream in, String source) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load reference file " + source + ": " + e.getMessage(), e);
    }
    return lines;
  }

  /** Adds the derived columns each ref table offers; Kemendagri codes are dotted everywhere. */
  static Dataset<Row> conform(ReferenceTable table, Dataset<Row> source) {
    return switch (table) {
      case WILAYAH -> source
          .withColumn("kode_provinsi", substring(col("kode"), 1, 2))
          .withColumn("kode_kabkota", when(length(col("kode")).geq(5), substring(col("kode"), 1, 5)))
          .withColumn("kode_kecamatan", when(length(col("kode")).geq(8), substring(col("kode"), 1, 8)))
          .withColumn("jenis_kabkota", when(col("tingkat").equalTo("kabkota"),
              when(substring(col("kode"), 4, 2).cast("int").geq(71), lit("kota")).otherwise(lit("kabupaten"))));
      case KODE_WILAYAH_HISTORI, PENDUDUK_KABKOTA -> source;
      case KABKOTA_BPS -> source.select(col("kode_bps"), col("nama_bps"),
          dotted(col("kode_dagri"), 2).as("kode_kabkota"), col("nama_dagri"));
      case PROVINSI_BPS -> source.select(col("kode_bps"), col("nama_bps"),
          col("kode_dagri").as("kode_provinsi"), col("nama_dagri"));
    };
  }

  /** {@code 1109} to {@code 11.09}: the crosswalk writes Kemendagri codes undotted. */
  private static Column dotted(Column undotted, int provinceDigits) {
    return concat_ws(".", substring(undotted, 1, provinceDigits), substring(undotted, provinceDigits + 1, 2));
  }
}
