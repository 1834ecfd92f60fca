package id.dtks.lakehouse.notebook;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * HTML for notebook cells: a query's first rows as a table and one value per label as a bar chart
 * in inline SVG. The Java kernel shows text/html but no SVG or Vega-Lite output, and inline SVG
 * needs no library on the analyst's machine. Numbers are written the Indonesian way (1.234.567),
 * as in the coverage dashboard; columns named {@code porsi_*}, {@code tingkat_*} or
 * {@code cakupan_*} are shares (0 to 1) and shown as percentages.
 *
 * <p>Only the rows shown are brought to the driver: a cell can never pull a whole table.
 */
final class NotebookHtml {
  static final int DEFAULT_ROWS = 50;
  /** Bars beyond this many make a chart unreadable; the chart says how many were left out. */
  static final int MAX_BARS = 60;
  private static final List<String> SHARE_PREFIXES = List.of("porsi_", "tingkat_", "cakupan_");
  /** Identifiers, versions and years: numbers, but not amounts to group. */
  private static final List<String> PLAIN_NUMBER_PREFIXES = List.of("id_", "versi", "tahun");
  private static final Locale INDONESIAN = Locale.forLanguageTag("id-ID");
  private static final int LABEL_WIDTH = 260;
  private static final int BAR_AREA = 420;
  private static final int VALUE_WIDTH = 90;
  private static final int ROW_HEIGHT = 20;

  private NotebookHtml() {}

  static String table(Dataset<Row> rows, int limit) {
    List<Row> shown = rows.limit(limit + 1).collectAsList();
    String[] columns = rows.columns();
    StringBuilder html = new StringBuilder("<table class=\"dtks\"><thead><tr>");
    for (String column : columns) {
      html.append("<th>").append(escape(column)).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (Row row : shown.subList(0, Math.min(limit, shown.size()))) {
      html.append("<tr>");
      for (int c = 0; c < columns.length; c++) {
        Object value = row.get(c);
        boolean number = value instanceof Number;
        html.append(number ? "<td style=\"text-align:right\">" : "<td>").append(escape(format(columns[c], value))).append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</tbody></table>");
    if (shown.size() > limit) {
      html.append("<p><i>the first ").append(limit).append(" rows; more exist (add a LIMIT or a filter)</i></p>");
    } else if (shown.isEmpty()) {
      html.append("<p><i>no rows</i></p>");
    }
    return html.toString();
  }

  static String barChart(String title, Dataset<Row> rows, String labelColumn, String valueColumn) {
    List<Row> bars = rows.select(labelColumn, valueColumn).limit(MAX_BARS + 1).collectAsList();
    boolean truncated = bars.size() > MAX_BARS;
    bars = bars.subList(0, Math.min(MAX_BARS, bars.size()));
    double max = bars.stream().filter(r -> !r.isNullAt(1)).mapToDouble(r -> ((Number) r.get(1)).doubleValue()).max().orElse(0);
    int width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
    int height = ROW_HEIGHT * bars.size() + 34;
    StringBuilder svg = new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dtks-bar-chart\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">")
        .append("<text x=\"0\" y=\"14\" font-weight=\"bold\">").append(escape(title)).append("</text>");
    for (int i = 0; i < bars.size(); i++) {
      Row bar = bars.get(i);
      int y = 26 + i * ROW_HEIGHT;
      double value = bar.isNullAt(1) ? 0 : ((Number) bar.get(1)).doubleValue();
      double length = max > 0 ? BAR_AREA * value / max : 0;
      svg.append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 13).append("\" text-anchor=\"end\">")
          .append(escape(String.valueOf(bar.get(0)))).append("</text>")
          .append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#1f6fb2\"/>",
              LABEL_WIDTH, y + 2, length, ROW_HEIGHT - 4))
          .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">", LABEL_WIDTH + length + 4, y + 13))
          .append(escape(format(valueColumn, bar.get(1)))).append("</text>");
    }
    svg.append("</svg>");
    if (truncated) {
      svg.append("<p><i>the first ").append(MAX_BARS).append(" bars</i></p>");
    }
    return svg.toString();
  }

  static String format(String column, Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double share && SHARE_PREFIXES.stream().anyMatch(column::startsWith)) {
      NumberFormat percent = NumberFormat.getPercentInstance(INDONESIAN);
      percent.setMinimumFractionDigits(share != 0 && Math.abs(share) < 0.01 ? 3 : 2);
      percent.setMaximumFractionDigits(share != 0 && Math.abs(share) < 0.01 ? 3 : 2);
      return percent.format(share);
    }
    if (value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal) {
      NumberFormat decimal = NumberFormat.getNumberInstance(INDONESIAN);
      decimal.setMaximumFractionDigits(3);
      return decimal.format(value);
    }
    if ((value instanceof Long || value instanceof Integer || value instanceof Short)
        && PLAIN_NUMBER_PREFIXES.stream().noneMatch(column::startsWith)) {
      return NumberFormat.getIntegerInstance(INDONESIAN).format(value);
    }
    return value.toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
