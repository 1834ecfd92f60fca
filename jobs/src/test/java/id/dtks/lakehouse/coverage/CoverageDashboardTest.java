package id.dtks.lakehouse.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The dashboard page without a browser: its files, and data that cannot break out of the page. */
class CoverageDashboardTest {
  @Test
  void theShippedVegaFilesAreTheOnesVersionsNames() throws Exception {
    List<String> lines = new String(resource("vega/VERSIONS")).lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      String[] fields = line.split(" ");
      byte[] file = resource("vega/" + fields[0]);
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file))).as(fields[0]).isEqualTo(fields[1]);
      assertThat(resource("vega/LICENSE-" + fields[0].replace(".min.js", ""))).isNotEmpty();
    }
    assertThat(CoverageDashboard.VEGA_FILES).contains("vega.min.js", "vega-lite.min.js", "vega-embed.min.js");
  }

  @Test
  void thePageLoadsScriptsOnlyFromBesideItAndItsDataCannotCloseTheScriptElement() {
    String page = CoverageDashboard.page("2026-11", List.of(region("NASIONAL", "</script><script>alert(1)</script>")), List.of());
    assertThat(Pattern.compile("<script[^>]* src=\"(?!vega/)").matcher(page).find()).as("a script from elsewhere").isFalse();
    assertThat(page).doesNotContain("https://cdn").contains("<title>Cakupan DTKS periode 2026-11</title>")
        .contains("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>");
    assertThat(page.split("</script>", -1)).hasSize(6);   // five script elements close: the data, three Vega files, the page
  }

  @Test
  void aPeriodWithoutTheNationsRowIsRefused() {
    assertThatThrownBy(() -> CoverageDashboard.data("2026-11", List.of(region("PROVINSI", "ACEH")), List.of()))
        .hasMessageContaining("the nation's row is missing");
  }

  /** A region row with every column the page reads: counts 7, shares 0.5, names as given. */
  private static Row region(String level, String name) {
    List<String> columns = new java.util.ArrayList<>(List.of("tingkat"));
    columns.addAll(CoverageDashboard.REGION_FIELDS);
    CoverageDashboard.nikReasons().forEach(entry -> columns.add(entry.name()));
    StructType schema = new StructType();
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      CoverageDictionary.Entry entry = CoverageDictionary.REGIONS.stream().filter(e -> e.name().equals(column)).findFirst().orElseThrow();
      switch (entry.type()) {
        case "BIGINT" -> { schema = schema.add(DataTypes.createStructField(column, DataTypes.LongType, true)); values[i] = 7L; }
        case "DOUBLE" -> { schema = schema.add(DataTypes.createStructField(column, DataTypes.DoubleType, true)); values[i] = 0.5; }
        default -> { schema = schema.add(DataTypes.createStructField(column, DataTypes.StringType, true)); values[i] = column.equals("tingkat") ? level : name; }
      }
    }
    return new GenericRowWithSchema(values, schema);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = CoverageDashboard.class.getResourceAsStream("/dtks/dashboard/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
