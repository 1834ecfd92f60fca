package id.dtks.lakehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.testing.LakehouseComparison;
import id.dtks.lakehouse.testing.LakehouseComparison.TableResult;
import id.dtks.lakehouse.testing.ProjectScripts;
import id.dtks.lakehouse.testing.TestSpark;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The lakehouse on S3: the pipeline with {@code DTKS_LAKEHOUSE_ROOT=s3a://...} and conf/cluster.conf's
 * S3 settings, against S3Proxy (an S3-compatible server) on 127.0.0.1, gives exactly the tables of a
 * run on local disk. S3Proxy keeps each object as a file under its folder, so the S3 lakehouse can
 * be compared file for file with the local one.
 *
 * <p>Only with {@code mvn verify -Ps3a}, which fetches hadoop-aws, the AWS SDK bundle (686 MB)
 * and S3Proxy into target/s3a-jars.
 */
@EnabledIfSystemProperty(named = "dtks.it.s3a.jars", matches = ".+")
class S3aLakehouseIT {
  private static final String PERIOD = "2026-11";
  private static final int HOUSEHOLDS = 1_000;
  private static final String BUCKET = "dtks";
  private static final Path JARS = Path.of(System.getProperty("dtks.it.s3a.jars", "target/s3a-jars"));
  private static final Path WORK = Path.of(System.getProperty("dtks.test.workdir", "target/test-work"))
      .toAbsolutePath().resolve("s3a-it");
  private static final Path S3_FOLDER = WORK.resolve("s3");
  private static final Path LOCAL = WORK.resolve("local");
  private static final ProjectScripts SCRIPTS = new ProjectScripts(WORK.resolve("logs"));
  private static final String PSEUDONYM_KEY = ProjectScripts.newKey();

  private static Process s3proxy;
  private static Map<String, String> s3Environment;

  @BeforeAll
  static void runThePipelineOnS3AndOnLocalDisk() throws Exception {
    ProjectScripts.deleteRecursively(WORK);
    Files.createDirectories(S3_FOLDER.resolve(BUCKET));
    int port = ProjectScripts.freePort();
    String accessKey = "dtks-test";
    String secretKey = ProjectScripts.newKey();
    startS3Proxy(port, accessKey, secretKey);

    s3Environment = new HashMap<>(Map.of(
        "AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey,
        "DTKS_LAKEHOUSE_ROOT", "s3a://" + BUCKET + "/lakehouse",
        "DTKS_S3_ENDPOINT", "http://127.0.0.1:" + port, "DTKS_S3_PATH_STYLE", "true",
        "DTKS_EXTRA_CLASSPATH", s3aJars(), "DTKS_PSEUDONYM_KEY", PSEUDONYM_KEY, "DTKS_DRIVER_MEMORY", "3g"));
    // conf/cluster.conf as a cluster would read it, on the embedded Spark of this machine.
    String onS3 = ProjectScripts.settingsFile(WORK.resolve("s3a.conf"), "conf/cluster.conf",
        "dtks.spark.master = \"local[2]\"",
        "dtks.spark.conf { \"spark.sql.shuffle.partitions\" = 8, \"spark.databricks.delta.snapshotPartitions\" = 2,",
        "  \"spark.ui.enabled\" = false, \"spark.hadoop.fs.s3a.endpoint.region\" = \"us-east-1\" }").toString();
    SCRIPTS.run("s3a", s3Environment, List.of("scripts/dtks", "reference", "--config", onS3));
    SCRIPTS.run("s3a", s3Environment, List.of("scripts/dtks", "generate", "--period", PERIOD,
        "--households", String.valueOf(HOUSEHOLDS), "--config", onS3));
    SCRIPTS.run("s3a", s3Environment, List.of("scripts/dtks", "pipeline", "--period", PERIOD, "--config", onS3));

    ProjectScripts.copyRecursively(lakehouseOnS3().resolve("raw"), LOCAL.resolve("raw"));
    String onDisk = ProjectScripts.settingsFile(WORK.resolve("local.conf"), "conf/local.conf",
        "dtks.lakehouse.root = \"" + LOCAL + "\"").toString();
    Map<String, String> local = Map.of("DTKS_PSEUDONYM_KEY", PSEUDONYM_KEY, "DTKS_DRIVER_MEMORY", "3g");
    SCRIPTS.run("local", local, List.of("scripts/dtks", "reference", "--config", onDisk));
    SCRIPTS.run("local", local, List.of("scripts/dtks", "pipeline", "--period", PERIOD, "--config", onDisk));
  }

  @AfterAll
  static void stopS3Proxy() {
    if (s3proxy != null) {
      s3proxy.destroy();
    }
  }

  @Test
  void theTablesWentThroughS3AndEqualTheLocalRunsTables() {
    assertThat(lakehouseOnS3().resolve("gold/peringkat_rumah_tangga/_delta_log")).isDirectory();

    List<TableResult> tables = new LakehouseComparison(TestSpark.session(), LOCAL, lakehouseOnS3()).tables();
    tables.forEach(table -> System.out.println("S3aLakehouseIT: " + table));

    assertThat(tables).extracting(TableResult::table)
        .contains("silver/rumah_tangga", "gold/peringkat_rumah_tangga", "gold/kelayakan_program", "ops/publikasi");
    assertThat(tables).filteredOn(table -> !table.equal()).as("tables that differ").isEmpty();
    assertThat(new LakehouseComparison(TestSpark.session(), LOCAL, lakehouseOnS3()).differentExportFiles()).isEmpty();
  }

  private static Path lakehouseOnS3() {
    return S3_FOLDER.resolve(BUCKET).resolve("lakehouse");
  }

  private static String s3aJars() throws IOException {
    try (Stream<Path> jars = Files.list(JARS)) {
      return jars.filter(jar -> !jar.getFileName().toString().startsWith("s3proxy"))
          .map(Path::toString).sorted().collect(Collectors.joining(":"));
    }
  }

  private static void startS3Proxy(int port, String accessKey, String secretKey) throws Exception {
    Path properties = WORK.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + S3_FOLDER,
        "jclouds.identity=" + accessKey,
        "jclouds.credential=" + secretKey) + "\n");
    Path log = WORK.resolve("logs/s3proxy.log");
    Files.createDirectories(log.getParent());
    s3proxy = new ProcessBuilder("java", "-jar", JARS.resolve("s3proxy.jar").toString(), "--properties", properties.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (!s3proxy.isAlive()) {
          throw new AssertionError("S3Proxy exited while starting; see " + log + ":\n" + Files.readString(log));
        }
        Thread.sleep(250);
      }
    }
    throw new AssertionError("S3Proxy did not listen on port " + port + " within 60 s; see " + log);
  }
}
