package id.dtks.lakehouse.testing;

import id.dtks.lakehouse.config.DtksSettings.SparkSettings;
import id.dtks.lakehouse.spark.InProcessLocalFileSystem;
import id.dtks.lakehouse.spark.SparkSessions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM (surefire runs every test class in one fork): starting
 * Spark and warming Delta cost seconds, so tests share it. Settings follow ENGINEERING.md.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      Map<String, String> settings = new HashMap<>(Map.of(
          "spark.sql.shuffle.partitions", "2",
          "spark.databricks.delta.snapshotPartitions", "2",
          "spark.sql.sources.parallelPartitionDiscovery.parallelism", "2",
          "spark.ui.enabled", "false",
          "spark.sql.session.timeZone", "UTC",
          "spark.driver.host", "127.0.0.1"));
      settings.putAll(InProcessLocalFileSystem.SPARK_SETTINGS); // as conf/local.conf
      session = SparkSessions.create(new SparkSettings(Optional.of("local[2]"), "dtks-tests", settings));
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
