package id.dtks.lakehouse.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** jobs/docs/raw-exports.md documents exactly the tables, columns and types of {@link RawExport}. */
class RawExportContractTest {
  private static final Pattern SECTION = Pattern.compile("^## (\\w+):");
  private static final Pattern COLUMN_ROW = Pattern.compile("^\\| `(\\w+)` \\| (\\w+) \\|");

  @Test
  void documentationListsEveryColumnWithItsType() throws IOException {
    Map<String, List<String>> documented = documentedColumns();

    for (RawExport export : RawExport.values()) {
      List<String> expected = new ArrayList<>();
      for (StructField field : export.schema().fields()) {
        expected.add(field.name() + " " + field.dataType().sql());
      }
      assertThat(documented.get(export.folder())).as("columns of %s in raw-exports.md", export.folder())
          .containsExactlyElementsOf(expected);
    }
    assertThat(documented).hasSize(RawExport.values().length);
  }

  private static Map<String, List<String>> documentedColumns() throws IOException {
    Path doc = Path.of(System.getProperty("dtks.project.root", "..")).resolve("jobs/docs/raw-exports.md");
    Map<String, List<String>> columns = new LinkedHashMap<>();
    String table = null;
    for (String line : Files.readAllLines(doc)) {
      Matcher section = SECTION.matcher(line);
      if (section.find()) {
        table = section.group(1);
        columns.put(table, new ArrayList<>());
        continue;
      }
      Matcher row = COLUMN_ROW.matcher(line);
      if (table != null && row.find()) {
        columns.get(table).add(row.group(1) + " " + row.group(2));
      }
    }
    return columns;
  }
}
