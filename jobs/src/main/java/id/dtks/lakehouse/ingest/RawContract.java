package id.dtks.lakehouse.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.lakehouse.Period;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Holds one export of a batch to the contract of {@link RawExport}, file by file, before anything
 * is written: a missing folder, a file that is not parquet, a missing column or a column of
 * another type fails the batch with a message naming the file, the column, and the expected and
 * found type. Extra columns are reported and left out.
 */
final class RawContract {
  /** The id of a raw row within its batch's export (see {@link #identified}). */
  static final String ROW_ID = "_id_baris";
  private static final String FILE_ROW = "_baris_file";
  private static final String FILE_PATH = "_path_file";
  private static final String FILE_NUMBER = "_nomor_file";

  private RawContract() {}

  /** An export that passed the contract: its rows (contract columns plus the source file), files and extras. */
  record CheckedExport(RawExport export, Dataset<Row> rows, List<FileStatus> files, Set<String> extraColumns) {}

  static CheckedExport check(SparkSession spark, Period period, RawExport export, String folder) {
    List<FileStatus> files = dataFiles(spark, period, export, folder);
    Set<String> extras = new TreeSet<>();
    for (FileStatus file : files) {
      StructType found = schemaOf(spark, period, export, file);
      for (StructField expected : export.schema().fields()) {
        StructField actual = field(found, expected.name());
        if (actual == null) {
          throw new RawContractException("Cannot ingest period " + period + ": file " + file.getPath()
              + " of export " + export.folder() + " has no column '" + expected.name() + "' (expected "
              + expected.dataType().sql() + ")");
        }
        if (!actual.dataType().equals(expected.dataType())) {
          throw new RawContractException("Cannot ingest period " + period + ": file " + file.getPath()
              + " of export " + export.folder() + ": column '" + expected.name() + "' is "
              + actual.dataType().sql() + ", expected " + expected.dataType().sql());
        }
      }
      for (StructField actual : found.fields()) {
        if (field(export.schema(), actual.name()) == null) {
          extras.add(actual.name());
        }
      }
    }
    Dataset<Row> rows = identified(spark, export, files, spark.read().schema(export.schema()).parquet(folder)
        .withColumn(IngestPeriod.SOURCE_FILE, col("_metadata.file_path"))
        .withColumn(FILE_ROW, col("_metadata.row_index")));
    return new CheckedExport(export, rows, files, extras);
  }

  /**
   * Gives every row {@link #ROW_ID}: the file's place in the batch's sorted file list times 2^40
   * plus the row's index in its file, one long that names the row exactly however Spark splits the
   * files. Row checks then work on narrow (id, key, reasons) rows, and the export's wide rows are
   * matched to their reasons by this id, never shuffled whole. A file the contract did not list
   * (written after the check) fails the batch.
   */
  private static Dataset<Row> identified(SparkSession spark, RawExport export, List<FileStatus> files, Dataset<Row> rows) {
    // As Spark names the file in _metadata.file_path: the qualified path (the folder may be relative).
    List<String> paths = files.stream().map(f -> qualified(spark, f.getPath()).toString()).sorted().toList();
    List<Row> numbered = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      numbered.add(RowFactory.create(paths.get(i), (long) i));
    }
    Dataset<Row> fileNumbers = spark.createDataFrame(numbered, new StructType()
        .add(FILE_PATH, DataTypes.StringType, false).add(FILE_NUMBER, DataTypes.LongType, false));
    return rows.join(broadcast(fileNumbers), col(IngestPeriod.SOURCE_FILE).equalTo(col(FILE_PATH)), "left")
        .withColumn(ROW_ID, when(col(FILE_NUMBER).isNull(), raise_error(concat(lit("Cannot ingest export " + export.folder()
                + ": file "), col(IngestPeriod.SOURCE_FILE), lit(" appeared after the contract check; run the ingest again"))))
            .otherwise(col(FILE_NUMBER).multiply(lit(1L << 40)).plus(col(FILE_ROW))))
        .drop(FILE_PATH, FILE_NUMBER, FILE_ROW);
  }

  private static Path qualified(SparkSession spark, Path path) {
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }

  /** A fingerprint of the batch's files (names, sizes, modification times): the batch id. */
  static String batchId(Period period, List<CheckedExport> exports) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (CheckedExport export : exports) {
        for (FileStatus file : export.files()) {
          digest.update((file.getPath().getName() + "|" + file.getLen() + "|" + file.getModificationTime() + "\n")
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      return period + "-" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static List<FileStatus> dataFiles(SparkSession spark, Period period, RawExport export, String folder) {
    Path path = new Path(folder);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new RawContractException("Cannot ingest period " + period + ": export " + export.folder()
            + " is missing (no folder " + folder + ")");
      }
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus status : fs.listStatus(path)) {
        String name = status.getPath().getName();
        if (status.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
          files.add(status);
        }
      }
      if (files.isEmpty()) {
        throw new RawContractException("Cannot ingest period " + period + ": export " + export.folder()
            + " has no data files in " + folder);
      }
      files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot ingest period " + period + ": cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static StructType schemaOf(SparkSession spark, Period period, RawExport export, FileStatus file) {
    try {
      return spark.read().parquet(file.getPath().toString()).schema();
    } catch (Exception e) { // Spark throws undeclared checked exceptions for unreadable files
      throw new RawContractException("Cannot ingest period " + period + ": file " + file.getPath() + " of export "
          + export.folder() + " cannot be read as parquet: " + firstLine(e.getMessage()), e);
    }
  }

  private static StructField field(StructType schema, String name) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    return message == null ? "(no message)" : message.lines().findFirst().orElse(message);
  }
}
