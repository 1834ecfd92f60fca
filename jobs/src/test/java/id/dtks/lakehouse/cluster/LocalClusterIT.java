package id.dtks.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.testing.LakehouseComparison;
import id.dtks.lakehouse.testing.LakehouseComparison.TableResult;
import id.dtks.lakehouse.testing.ProjectScripts;
import id.dtks.lakehouse.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same jar on a real Spark standalone cluster gives exactly the embedded run's tables.
 *
 * <p>Runs the README's own commands as a user would: {@code scripts/dtks} generates a small period
 * and runs the pipeline on the embedded {@code local[*]}; {@code scripts/local-cluster up} starts a
 * master and two workers (executors in JVMs of their own); {@code scripts/submit} sends the
 * shaded jar with spark-submit and runs reference and the pipeline on the same raw exports into a
 * second lakehouse. Every table and export file must then be equal. The cluster is stopped after
 * the test, whatever happened, and by a shutdown hook if the JVM is killed first.
 *
 * <p>Failsafe runs it after {@code package} (it needs the shaded jar): {@code mvn verify}.
 */
class LocalClusterIT {
  private static final String PERIOD = "2026-11";
  private static final int HOUSEHOLDS = 1_500;
  private static final Path WORK = Path.of(System.getProperty("dtks.test.workdir", "target/test-work"))
      .toAbsolutePath().resolve("local-cluster-it");
  private static final Path EMBEDDED = WORK.resolve("embedded");
  private static final Path CLUSTER = WORK.resolve("cluster");
  private static final Path CLUSTER_STATE = WORK.resolve("state");
  private static final Path LOGS = WORK.resolve("logs");
  private static final String PSEUDONYM_KEY = ProjectScripts.newKey();
  private static final ProjectScripts SCRIPTS = new ProjectScripts(LOGS);

  private static long embeddedSeconds;
  private static long clusterSeconds;
  private static final Thread STOP_CLUSTER = new Thread(LocalClusterIT::stopCluster);

  @BeforeAll
  static void runTheSamePeriodEmbeddedAndOnTheCluster() throws Exception {
    ProjectScripts.deleteRecursively(WORK);
    String config = ProjectScripts.settingsFile(WORK.resolve("embedded.conf"), "conf/local.conf",
        "dtks.lakehouse.root = \"" + EMBEDDED + "\"").toString();

    SCRIPTS.run("embedded-generate", embeddedEnvironment(), List.of("scripts/dtks", "reference", "--config", config));
    SCRIPTS.run("embedded-generate", embeddedEnvironment(), List.of("scripts/dtks", "generate", "--period", PERIOD,
        "--households", String.valueOf(HOUSEHOLDS), "--config", config));
    ProjectScripts.copyRecursively(EMBEDDED.resolve("raw"), CLUSTER.resolve("raw"));

    long started = System.nanoTime();
    SCRIPTS.run("embedded-pipeline", embeddedEnvironment(),
        List.of("scripts/dtks", "pipeline", "--period", PERIOD, "--config", config));
    embeddedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

    int masterPort = ProjectScripts.freePort();
    int uiPort = ProjectScripts.freePortRange(18080, 3);
    Runtime.getRuntime().addShutdownHook(STOP_CLUSTER);
    SCRIPTS.run("cluster-up", clusterEnvironment(), List.of("scripts/local-cluster", "up", "--workers", "2",
        "--cores", "1", "--memory", "3g", "--port", String.valueOf(masterPort), "--ui-port", String.valueOf(uiPort)));

    SCRIPTS.run("cluster-reference", clusterEnvironment(), submit("reference"));
    started = System.nanoTime();
    SCRIPTS.run("cluster-pipeline", clusterEnvironment(), submit("pipeline", "--period", PERIOD));
    clusterSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    System.out.printf("LocalClusterIT: %,d households, pipeline wall time (JVM start included): embedded %d s, "
        + "local cluster of 2 workers %d s%n", HOUSEHOLDS, embeddedSeconds, clusterSeconds);
  }

  @AfterAll
  static void stopTheCluster() {
    stopCluster();
    Runtime.getRuntime().removeShutdownHook(STOP_CLUSTER);
  }

  @Test
  void everyTableHoldsExactlyTheEmbeddedRunsRows() {
    List<TableResult> tables = new LakehouseComparison(TestSpark.session(), EMBEDDED, CLUSTER).tables();
    tables.forEach(table -> System.out.println("LocalClusterIT: " + table));

    assertThat(tables).extracting(TableResult::table).contains(
        "ref/wilayah", "bronze/karantina", "silver/rumah_tangga", "silver/anggota_rumah_tangga",
        "gold/peringkat_rumah_tangga", "gold/cakupan_wilayah", "gold/cakupan_program", "gold/kelayakan_program",
        "gold/kelayakan_tanpa_nik", "gold/analis_rumah_tangga", "gold/analis_anggota_rumah_tangga", "ops/publikasi");
    assertThat(tables).filteredOn(table -> table.table().startsWith("gold/") || table.table().startsWith("silver/"))
        .allSatisfy(table -> assertThat(table.expectedRows()).as(table.table()).isPositive());
    assertThat(tables).filteredOn(table -> !table.equal()).as("tables that differ").isEmpty();
  }

  @Test
  void theExportFilesAreByteForByteTheSame() {
    assertThat(LakehouseComparison.exportFiles(EMBEDDED)).hasSizeGreaterThanOrEqualTo(4);
    assertThat(new LakehouseComparison(TestSpark.session(), EMBEDDED, CLUSTER).differentExportFiles()).isEmpty();
  }

  @Test
  void executorsRanOnBothWorkersInJvmsOfTheirOwn() throws IOException {
    // A worker starts each executor in a folder work/worker-N/<application>/<executor id>/.
    for (String worker : List.of("worker-1", "worker-2")) {
      try (Stream<Path> folders = Files.walk(CLUSTER_STATE.resolve("work").resolve(worker), 2)) {
        assertThat(folders.filter(folder -> folder.getFileName().toString().matches("\\d+"))
            .filter(folder -> Files.isRegularFile(folder.resolve("stderr")))).as("executors of " + worker).isNotEmpty();
      }
    }
  }

  private static List<String> submit(String... jobArguments) {
    List<String> command = new ArrayList<>(List.of("scripts/submit", "--executor-memory", "2g"));
    command.addAll(List.of(jobArguments));
    return command;
  }

  private static Map<String, String> embeddedEnvironment() {
    return Map.of("DTKS_PSEUDONYM_KEY", PSEUDONYM_KEY, "DTKS_DRIVER_MEMORY", "3g");
  }

  private static Map<String, String> clusterEnvironment() {
    return Map.of("DTKS_PSEUDONYM_KEY", PSEUDONYM_KEY, "DTKS_DRIVER_MEMORY", "2g",
        "DTKS_LAKEHOUSE_ROOT", CLUSTER.toUri().toString(),
        "DTKS_LOCAL_CLUSTER_DIR", CLUSTER_STATE.toString());
  }

  private static void stopCluster() {
    try {
      SCRIPTS.run("cluster-down", clusterEnvironment(), List.of("scripts/local-cluster", "down"));
    } catch (Exception e) {
      System.err.println("LocalClusterIT: stopping the local cluster failed: " + e.getMessage());
    }
  }
}
