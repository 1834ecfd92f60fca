package id.dtks.lakehouse.coverage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.dtks.lakehouse.cli.BuildInfo;
import id.dtks.lakehouse.coverage.CoverageDictionary.Entry;
import id.dtks.lakehouse.lakehouse.ExportFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * A period's coverage table as files for dashboard tools: {@code <table>.csv} (a header row, then
 * one row per region; empty for null) and {@code <table>.json} (the period, the build, every
 * column with its type, unit, formula and meaning, then the rows as objects). Written with
 * {@link ExportFiles#writeAtomically}: local, {@code hdfs://} or {@code s3a://}, never half a file.
 *
 * <p>The rows are the few hundred of one period's statistics (one per region), gathered on the
 * driver; nothing here grows with the registry. No timestamp goes in: a re-run of a period writes the
 * same bytes.
 */
final class CoverageExports {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CoverageExports() {}

  /** Writes {@code folder/<table>.csv} and {@code folder/<table>.json}; returns their paths. */
  static List<String> write(Configuration hadoop, String folder, String table, String period, List<Entry> columns, List<Row> rows) {
    String csv = folder + "/" + table + ".csv";
    String json = folder + "/" + table + ".json";
    ExportFiles.writeAtomically(hadoop, csv, csv(columns, rows).getBytes(StandardCharsets.UTF_8));
    ExportFiles.writeAtomically(hadoop, json, json(table, period, columns, rows).getBytes(StandardCharsets.UTF_8));
    return List.of(csv, json);
  }

  static String csv(List<Entry> columns, List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append(String.join(",", columns.stream().map(Entry::name).toList())).append('\n');
    for (Row row : rows) {
      for (int c = 0; c < columns.size(); c++) {
        if (c > 0) {
          out.append(',');
        }
        out.append(csvField(text(row.get(row.fieldIndex(columns.get(c).name())))));
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String json(String table, String period, List<Entry> columns, List<Row> rows) {
    ObjectNode document = JSON.createObjectNode();
    document.put("tabel", table);
    document.put("periode", period);
    document.put("versi_dtks", BuildInfo.version());
    ArrayNode described = document.putArray("kolom");
    for (Entry column : columns) {
      described.addObject().put("nama", column.name()).put("tipe", column.type()).put("satuan", column.unit())
          .put("rumus", column.formula()).put("arti", column.meaning());
    }
    ArrayNode values = document.putArray("baris");
    List<String> names = columns.stream().map(Entry::name).toList();
    for (Row row : rows) {
      putFields(values.addObject(), row, names);
    }
    try {
      return JSON.writeValueAsString(document) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the JSON export of " + table, e);
    }
  }

  /** Puts the row's {@code names} into {@code object}: numbers as JSON numbers, dates as ISO, null as null. */
  static ObjectNode putFields(ObjectNode object, Row row, List<String> names) {
    for (String name : names) {
      Object value = row.get(row.fieldIndex(name));
      if (value == null) {
        object.putNull(name);
      } else if (value instanceof Long number) {
        object.put(name, number);
      } else if (value instanceof Double number) {
        object.put(name, number);
      } else {
        object.put(name, value.toString());
      }
    }
    return object;
  }

  /** Numbers in plain decimal notation (never 1.0E-4), dates as ISO, null as empty. */
  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double number) {
      return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  private static String csvField(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
