package id.dtks.lakehouse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.config.DtksSettings.SparkSettings;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  private static final SparkSettings LOCAL = new SparkSettings(Optional.of("local[*]"), "dtks-lakehouse",
      Map.of("spark.sql.shuffle.partitions", "8", "spark.ui.enabled", "false"));

  @Test
  void theSettingsApplyWhenNothingWasSubmitted() {
    assertThat(SparkSessions.master(LOCAL, new Properties())).contains("local[*]");
    assertThat(SparkSessions.conf(LOCAL, new Properties()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("spark.sql.shuffle.partitions", "8", "spark.ui.enabled", "false"));
  }

  @Test
  void whatSparkSubmitWasToldWinsOverTheSettings() {
    Properties submitted = new Properties();
    submitted.setProperty("spark.master", "spark://127.0.0.1:7077");
    submitted.setProperty("spark.sql.shuffle.partitions", "64");

    assertThat(SparkSessions.master(LOCAL, submitted)).isEmpty();
    assertThat(SparkSessions.conf(LOCAL, submitted)).containsExactlyEntriesOf(Map.of("spark.ui.enabled", "false"));
  }
}
