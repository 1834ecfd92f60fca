package id.dtks.lakehouse.lakehouse;

import id.dtks.lakehouse.config.DtksSettings.LakehouseSettings;

/**
 * Where every table lives. The one place that turns a layer and table name into a path, so that a
 * local folder, {@code hdfs://} and {@code s3a://} roots all work the same.
 */
public final class Lakehouse {
  private final String root;
  private final String rawRoot;

  public Lakehouse(LakehouseSettings settings) {
    this.root = withoutTrailingSlash(settings.root());
    this.rawRoot = withoutTrailingSlash(settings.rawRoot());
  }

  public String root() {
    return root;
  }

  /** The Delta table {@code name} of {@code layer}. */
  public String table(Layer layer, String name) {
    return root + "/" + layer.folder() + "/" + name;
  }

  /** The folder of a period's file exports for dashboard tools (CSV, JSON): {@code <root>/export/<name>/<period>}. */
  public String exportFolder(String name, Period period) {
    return root + "/export/" + name + "/" + period;
  }

  /** The folder holding all raw exports of a period. */
  public String rawPeriod(Period period) {
    return rawRoot + "/" + period;
  }

  /** The parquet folder of one raw export table of a period. */
  public String rawTable(Period period, String table) {
    return rawPeriod(period) + "/" + table;
  }

  private static String withoutTrailingSlash(String path) {
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
