package id.dtks.lakehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.dtks.lakehouse.spark.InProcessLocalFileSystem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
  private static final File LOCAL = projectFile("conf/local.conf");
  private static final File CLUSTER = projectFile("conf/cluster.conf");

  @TempDir
  Path temp;

  @Test
  void defaultsComeFromReferenceConf() {
    DtksSettings settings = load(Optional.empty(), new Properties(), Map.of());

    assertThat(settings.environment()).isEqualTo("default");
    assertThat(settings.spark().master()).isEmpty();
    assertThat(settings.spark().appName()).isEqualTo("dtks-lakehouse");
    assertThat(settings.spark().conf()).isEmpty();
    assertThat(settings.lakehouse().root()).isEqualTo("lakehouse");
    assertThat(settings.lakehouse().rawRoot()).isEqualTo("lakehouse/raw");
    assertThat(settings.reference().sourceDir()).isEmpty();
    assertThat(settings.generator().seed()).isEqualTo(20210701L);
    assertThat(settings.generator().households()).isEqualTo(20_000L);
    assertThat(settings.generator().filesPerTable()).isZero();
    assertThat(settings.generator().surveyShare()).isEqualTo(0.005);
    assertThat(settings.generator().neverUpdatingKabkotaShare()).isEqualTo(0.179);
    assertThat(settings.generator().activeKabkotaShare()).isEqualTo(0.2);
    assertThat(settings.generator().revokedOperatorShare()).isEqualTo(0.05);
    assertThat(settings.generator().dukcapilMatchShare()).isEqualTo(0.9);
    assertThat(settings.generator().defects()).isEqualTo(new DtksSettings.DefectRates(
        0.17, 0.005, 0.005, 0.002, 0.009, 0.0024, 0.001, 0.001, 0.001, 0.0005, 0.0005, 0.01));
    assertThat(settings.coverage()).isEqualTo(new DtksSettings.CoverageSettings(24, true));
  }

  @Test
  void localConfRunsEmbeddedSparkWithTheLakehouseInTheCheckout() {
    DtksSettings settings = load(Optional.of(LOCAL), new Properties(), Map.of());

    assertThat(settings.environment()).isEqualTo("local");
    assertThat(settings.spark().master()).contains("local[*]");
    assertThat(settings.spark().conf())
        .containsEntry("spark.sql.shuffle.partitions", "64")
        .containsEntry("spark.sql.adaptive.coalescePartitions.parallelismFirst", "false")
        .containsEntry("spark.ui.enabled", "false")
        .containsEntry("spark.sql.session.timeZone", "UTC")
        .containsAllEntriesOf(InProcessLocalFileSystem.SPARK_SETTINGS);
    assertThat(settings.lakehouse().root()).isEqualTo("lakehouse");
    assertThat(settings.lakehouse().rawRoot()).isEqualTo("lakehouse/raw");
  }

  @Test
  void clusterConfSetsNoMasterAndTakesTheRootFromTheEnvironment() {
    DtksSettings byDefault = load(Optional.of(CLUSTER), new Properties(), Map.of());
    DtksSettings onS3 = load(Optional.of(CLUSTER), new Properties(), Map.of("DTKS_LAKEHOUSE_ROOT", "s3a://dtks/prod"));

    assertThat(byDefault.spark().master()).isEmpty();
    assertThat(byDefault.lakehouse().root()).isEqualTo("hdfs:///dtks/lakehouse");
    assertThat(onS3.lakehouse().root()).isEqualTo("s3a://dtks/prod");
    assertThat(onS3.lakehouse().rawRoot()).isEqualTo("s3a://dtks/prod/raw");
    assertThat(byDefault.spark().conf()).doesNotContainKeys("spark.hadoop.fs.s3a.endpoint", "spark.hadoop.fs.s3a.path.style.access")
        .containsAllEntriesOf(InProcessLocalFileSystem.SPARK_SETTINGS);
  }

  @Test
  void clusterConfTakesAnS3CompatibleEndpointFromTheEnvironment() {
    DtksSettings onMinio = load(Optional.of(CLUSTER), new Properties(), Map.of(
        "DTKS_LAKEHOUSE_ROOT", "s3a://dtks/prod", "DTKS_S3_ENDPOINT", "http://127.0.0.1:9000", "DTKS_S3_PATH_STYLE", "true"));

    assertThat(onMinio.spark().conf())
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
        .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true");
  }

  @Test
  void environmentVariablesOverrideTheFileAndSystemPropertiesOverrideBoth() {
    Map<String, String> environment = Map.of(
        "CONFIG_FORCE_dtks_generator_households", "5000",
        "CONFIG_FORCE_dtks_lakehouse_raw___root", "/data/raw",
        "CONFIG_FORCE_dtks_spark_master", "local[2]");
    Properties properties = new Properties();
    properties.setProperty("dtks.generator.households", "7000");
    properties.setProperty("user.home", "/ignored: only dtks.* properties are settings");

    DtksSettings settings = load(Optional.of(LOCAL), properties, environment);

    assertThat(settings.generator().households()).isEqualTo(7000L);
    assertThat(settings.lakehouse().rawRoot()).isEqualTo("/data/raw");
    assertThat(settings.spark().master()).contains("local[2]");
  }

  @Test
  void movingTheRootMovesTheRawFolderWithIt() {
    Properties properties = new Properties();
    properties.setProperty("dtks.lakehouse.root", "/srv/dtks");

    DtksSettings settings = load(Optional.of(LOCAL), properties, Map.of());

    assertThat(settings.lakehouse().rawRoot()).isEqualTo("/srv/dtks/raw");
  }

  @Test
  void rejectsAWholeNumberBelowItsMinimum() {
    assertThatThrownBy(() -> withProperty("dtks.generator.households", "-5"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Invalid setting dtks.generator.households = -5: must be a whole number of at least 1");
  }

  @Test
  void rejectsAVerivaliWindowOfNoMonthsOrAFlagThatIsNotABoolean() {
    assertThatThrownBy(() -> withProperty("dtks.coverage.verivali-window-months", "0"))
        .hasMessage("Invalid setting dtks.coverage.verivali-window-months = 0: must be a whole number of at least 1");
    assertThatThrownBy(() -> withProperty("dtks.coverage.exports", "sometimes"))
        .hasMessage("Invalid setting dtks.coverage.exports = sometimes: must be true or false");
  }

  @Test
  void rejectsAValueOfTheWrongType() {
    assertThatThrownBy(() -> withProperty("dtks.generator.households", "many"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Invalid setting dtks.generator.households = many: must be a whole number of at least 1");
  }

  @Test
  void rejectsAShareOutsideZeroToOne() {
    assertThatThrownBy(() -> withProperty("dtks.generator.defects.nik-missing", "1.5"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Invalid setting dtks.generator.defects.nik-missing = 1.5: must be a share from 0 to 1");
  }

  @Test
  void rejectsAnEmptyLakehouseRoot() {
    assertThatThrownBy(() -> withProperty("dtks.lakehouse.root", " "))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Invalid setting dtks.lakehouse.root = \" \": must be a path or URI (a local folder, hdfs:// or s3a://)");
  }

  @Test
  void rejectsNikDefectSharesAddingUpToMoreThanOne() {
    Properties properties = new Properties();
    properties.setProperty("dtks.generator.defects.nik-missing", "0.6");
    properties.setProperty("dtks.generator.defects.nik-malformed", "0.6");

    assertThatThrownBy(() -> load(Optional.empty(), properties, Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Invalid settings dtks.generator.defects.nik-*: the NIK defect shares add up to 1.216, "
            + "more than 1; a member gets at most one NIK defect");
  }

  @Test
  void rejectsAMissingSettingsFile() {
    File missing = temp.resolve("nowhere.conf").toFile();

    assertThatThrownBy(() -> load(Optional.of(missing), new Properties(), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Cannot read settings file " + missing
            + ": no such file. Pass --config with an existing file, e.g. conf/local.conf");
  }

  @Test
  void sparkSettingsMayBeWrittenQuotedOrAsNestedKeys() throws IOException {
    Path file = temp.resolve("spark.conf");
    Files.writeString(file, "dtks.spark.conf { \"spark.sql.shuffle.partitions\" = 4, spark.executor.memory = 8g }");

    DtksSettings settings = load(Optional.of(file.toFile()), new Properties(), Map.of());

    assertThat(settings.spark().conf())
        .containsExactlyInAnyOrderEntriesOf(Map.of("spark.sql.shuffle.partitions", "4", "spark.executor.memory", "8g"));
  }

  @Test
  void rejectsASparkSettingThatIsAList() throws IOException {
    Path file = temp.resolve("list.conf");
    Files.writeString(file, "dtks.spark.conf { \"spark.jars\" = [a.jar, b.jar] }");

    assertThatThrownBy(() -> load(Optional.of(file.toFile()), new Properties(), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Invalid setting dtks.spark.conf.spark.jars = [\"a.jar\",\"b.jar\"]: must be a single value, not a list");
  }

  @Test
  void effectiveSettingsAreSortedWithSecretsMasked() {
    Properties properties = new Properties();
    properties.setProperty("dtks.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"", "hunter2-very-secret");

    Map<String, String> effective = SettingsLoader.load(Optional.of(LOCAL), properties, Map.of()).effective();

    assertThat(List.copyOf(effective.keySet())).isSorted();
    assertThat(effective).containsEntry("dtks.generator.households", "20000");
    assertThat(effective.entrySet())
        .filteredOn(e -> e.getKey().contains("secret"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("*****"));
    assertThat(effective.values()).doesNotContain("hunter2-very-secret");
  }

  @Test
  void readsTheSettingsFileThatSparkSubmitPassedAlong() throws IOException {
    Properties submitted = submittedFile(CLUSTER);

    SettingsLoader.Loaded loaded =
        SettingsLoader.load(Optional.empty(), submitted, Map.of("DTKS_LAKEHOUSE_ROOT", "s3a://dtks/prod"));

    assertThat(loaded.settings().environment()).isEqualTo("cluster");
    assertThat(loaded.settings().lakehouse().root()).isEqualTo("s3a://dtks/prod");
    assertThat(loaded.settings().spark().master()).isEmpty();
    assertThat(loaded.origin()).isEqualTo("conf/cluster.conf (passed by spark-submit)");
  }

  @Test
  void aSettingsFileOnTheCommandLineWinsOverTheSubmittedOne() throws IOException {
    SettingsLoader.Loaded loaded = SettingsLoader.load(Optional.of(LOCAL), submittedFile(CLUSTER), Map.of());

    assertThat(loaded.settings().environment()).isEqualTo("local");
    assertThat(loaded.origin()).isEqualTo(LOCAL.toString());
  }

  @Test
  void rejectsSubmittedSettingsThatAreNotBase64() {
    Properties submitted = new Properties();
    submitted.setProperty(SettingsLoader.SUBMITTED_SETTINGS, "dtks { environment = x }");
    submitted.setProperty(SettingsLoader.SUBMITTED_SETTINGS_ORIGIN, "conf/cluster.conf");

    assertThatThrownBy(() -> load(Optional.empty(), submitted, Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Cannot read the settings spark-submit passed in spark.dtks.settings.base64 "
            + "(from conf/cluster.conf): not base64");
  }

  private static Properties submittedFile(File file) throws IOException {
    Properties submitted = new Properties();
    submitted.setProperty(SettingsLoader.SUBMITTED_SETTINGS,
        java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(file.toPath())));
    submitted.setProperty(SettingsLoader.SUBMITTED_SETTINGS_ORIGIN, "conf/cluster.conf");
    return submitted;
  }

  private static DtksSettings withProperty(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    return load(Optional.empty(), properties, Map.of());
  }

  private static DtksSettings load(Optional<File> file, Properties properties, Map<String, String> environment) {
    return SettingsLoader.load(file, properties, environment).settings();
  }

  static File projectFile(String relative) {
    return Path.of(System.getProperty("dtks.project.root", "..")).resolve(relative).toFile();
  }
}
