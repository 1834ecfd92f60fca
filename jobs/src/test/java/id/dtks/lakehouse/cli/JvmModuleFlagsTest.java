package id.dtks.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The flags the build and scripts/dtks pass to the JVM are the ones the pinned Spark asks for. */
class JvmModuleFlagsTest {
  @Test
  void flagsFileMatchesThePinnedSpark() throws IOException {
    Path file = Path.of(System.getProperty("dtks.project.root", "..")).resolve("jobs/spark-jvm-flags.properties");
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }

    assertThat(properties.getProperty("spark.jvm.module.flags"))
        .as("jobs/spark-jvm-flags.properties must hold JavaModuleOptions.defaultModuleOptions() of the pinned Spark")
        .isEqualTo(JavaModuleOptions.defaultModuleOptions());
  }
}
