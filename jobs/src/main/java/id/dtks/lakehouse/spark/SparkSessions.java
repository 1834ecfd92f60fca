package id.dtks.lakehouse.spark;

import id.dtks.lakehouse.config.DtksSettings.SparkSettings;
import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession of a job run, with Delta enabled and the configured settings applied. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(SparkSettings settings) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName(settings.appName())
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    if (settings.master().isPresent()) {
      builder.master(settings.master().get());
    } else if (System.getProperty("spark.master") == null) {
      throw new IllegalStateException(
          "Cannot start Spark: no master is set. Run the job through spark-submit (scripts/submit), "
              + "or set dtks.spark.master, as conf/local.conf does with local[*]");
    }
    settings.conf().forEach(builder::config);
    return builder.getOrCreate();
  }
}
