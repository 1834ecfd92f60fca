package id.dtks.lakehouse.spark;

import id.dtks.lakehouse.config.DtksSettings.SparkSettings;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one SparkSession of a job run, with Delta enabled and the configured settings applied.
 *
 * <p>What spark-submit was told wins over the settings file: spark-submit hands its master and
 * {@code --conf} values to the driver as {@code spark.*} system properties, and a setting the file
 * also names would otherwise silently replace the command line's (conf/local.conf's
 * {@code local[*]} would keep a submitted job off the cluster).
 */
public final class SparkSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

  private SparkSessions() {}

  public static SparkSession create(SparkSettings settings) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName(settings.appName())
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    Properties submitted = System.getProperties();
    Optional<String> master = master(settings, submitted);
    if (master.isPresent()) {
      builder.master(master.get());
    } else if (submitted.getProperty("spark.master") == null) {
      throw new IllegalStateException(
          "Cannot start Spark: no master is set. Run the job through spark-submit (scripts/submit), "
              + "or set dtks.spark.master, as conf/local.conf does with local[*]");
    }
    conf(settings, submitted).forEach(builder::config);
    return builder.getOrCreate();
  }

  /** The settings' master, unless spark-submit set one. */
  static Optional<String> master(SparkSettings settings, Properties submitted) {
    String fromSubmit = submitted.getProperty("spark.master");
    if (fromSubmit != null && settings.master().isPresent() && !fromSubmit.equals(settings.master().get())) {
      LOG.info("Spark master {} from spark-submit, not {} from the settings", fromSubmit, settings.master().get());
    }
    return fromSubmit == null ? settings.master() : Optional.empty();
  }

  /** The settings' Spark configuration without the keys spark-submit already set. */
  static Map<String, String> conf(SparkSettings settings, Properties submitted) {
    Map<String, String> conf = new TreeMap<>();
    settings.conf().forEach((key, value) -> {
      String fromSubmit = submitted.getProperty(key);
      if (fromSubmit == null) {
        conf.put(key, value);
      } else if (!fromSubmit.equals(value)) {
        LOG.info("{} = {} from spark-submit, not {} from the settings", key, fromSubmit, value);
      }
    });
    return conf;
  }
}
