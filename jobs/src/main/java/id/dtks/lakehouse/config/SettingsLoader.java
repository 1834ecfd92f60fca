package id.dtks.lakehouse.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.io.File;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the settings once, in this precedence (highest first): JVM system properties, environment
 * variables ({@code CONFIG_FORCE_dtks_...}, typesafe-config's mapping), the environment's file
 * ({@code --config}, or the file scripts/submit sent along as {@value #SUBMITTED_SETTINGS}), and
 * {@code reference.conf}. Substitutions such as {@code raw-root =
 * ${dtks.lakehouse.root}"/raw"} resolve after the merge, so overriding the root moves both.
 */
public final class SettingsLoader {
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(secret|password|passwd|token|credential|access[._-]?key|pseudonym[._-]?key).*");
  private static final String MASK = "*****";
  /**
   * The environment's settings file, base64-encoded, as scripts/submit passes it to spark-submit.
   * Spark hands {@code spark.*} properties to the driver as system properties wherever it runs
   * (client mode, a standalone worker, a YARN application master, a Kubernetes pod), before the
   * job starts; a file path would only work where the driver shares the submitter's disk.
   */
  public static final String SUBMITTED_SETTINGS = "spark.dtks.settings.base64";
  /** Where the submitted settings came from (the file's name on the submitting machine), for the log. */
  public static final String SUBMITTED_SETTINGS_ORIGIN = "spark.dtks.settings.origin";

  private SettingsLoader() {}

  /** The settings of a run on this JVM: its system properties and process environment. */
  public static Loaded load(Optional<File> environmentFile) {
    return load(environmentFile, System.getProperties(), System.getenv());
  }

  /** As {@link #load(Optional)} with explicit properties and environment (tests pass their own). */
  public static Loaded load(
      Optional<File> environmentFile, Properties systemProperties, Map<String, String> environment) {
    Config merged = merge(environmentFile, systemProperties, environment);
    return new Loaded(fromConfig(merged), effectiveSettings(merged), origin(environmentFile, systemProperties));
  }

  static Config merge(
      Optional<File> environmentFile, Properties systemProperties, Map<String, String> environment) {
    Config reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf");
    Config file = environmentFile.map(SettingsLoader::parseEnvironmentFile)
        .orElseGet(() -> submittedSettings(systemProperties));
    Config fromEnvironment = ConfigFactory.parseMap(environmentOverrides(environment), "environment variables");
    Config fromProperties = ConfigFactory.parseProperties(onlyDtks(systemProperties));
    Config merged = fromProperties.withFallback(fromEnvironment).withFallback(file).withFallback(reference);
    try {
      // ${?NAME} substitutions (conf/cluster.conf: DTKS_LAKEHOUSE_ROOT) read the given environment.
      return merged.resolveWith(merged.withFallback(variables(environment)),
          ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    } catch (ConfigException e) {
      throw new InvalidSettingException("Cannot resolve the settings: " + e.getMessage(), e);
    }
  }

  private static Config parseEnvironmentFile(File file) {
    if (!file.isFile()) {
      throw new InvalidSettingException(
          "Cannot read settings file " + file + ": no such file. Pass --config with an existing file, e.g. conf/local.conf");
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new InvalidSettingException("Cannot read settings file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Config submittedSettings(Properties systemProperties) {
    String encoded = systemProperties.getProperty(SUBMITTED_SETTINGS);
    if (encoded == null) {
      return ConfigFactory.empty();
    }
    String origin = systemProperties.getProperty(SUBMITTED_SETTINGS_ORIGIN, SUBMITTED_SETTINGS);
    String text;
    try {
      text = new String(java.util.Base64.getDecoder().decode(encoded.strip()), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("Cannot read the settings spark-submit passed in " + SUBMITTED_SETTINGS + " (from "
          + origin + "): not base64 (" + e.getMessage() + "); scripts/submit encodes the file with base64 -w0", e);
    }
    try {
      return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin));
    } catch (ConfigException e) {
      throw new InvalidSettingException("Cannot read settings file " + origin + " (passed by spark-submit): " + e.getMessage(), e);
    }
  }

  private static String origin(Optional<File> environmentFile, Properties systemProperties) {
    if (environmentFile.isPresent()) {
      return environmentFile.get().toString();
    }
    if (systemProperties.getProperty(SUBMITTED_SETTINGS) != null) {
      return systemProperties.getProperty(SUBMITTED_SETTINGS_ORIGIN, SUBMITTED_SETTINGS) + " (passed by spark-submit)";
    }
    return "(reference.conf only)";
  }

  /**
   * Environment variables named {@code CONFIG_FORCE_<path>} override the path, with typesafe-config's
   * mapping: {@code _} is a dot, {@code __} an underscore and {@code ___} a dash.
   */
  static Map<String, String> environmentOverrides(Map<String, String> environment) {
    Map<String, String> overrides = new TreeMap<>();
    String prefix = "CONFIG_FORCE_";
    environment.forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        overrides.put(environmentNameToPath(name.substring(prefix.length())), value);
      }
    });
    return overrides;
  }

  private static Config variables(Map<String, String> environment) {
    Map<String, String> plain = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        plain.put(name, value);
      }
    });
    return ConfigFactory.parseMap(plain, "environment variables");
  }

  private static String environmentNameToPath(String name) {
    return name.replace("___", "\u0000").replace("__", "\u0001").replace('_', '.')
        .replace("\u0000", "-").replace("\u0001", "_");
  }

  private static Properties onlyDtks(Properties systemProperties) {
    Properties dtks = new Properties();
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith("dtks.")) {
        dtks.setProperty(name, systemProperties.getProperty(name));
      }
    }
    return dtks;
  }

  static DtksSettings fromConfig(Config config) {
    SettingsReader read = new SettingsReader(config);
    String environment = read.string("dtks.environment");
    if (environment.isBlank()) {
      throw read.invalid("dtks.environment", "must not be empty");
    }

    String master = read.string("dtks.spark.master").strip();
    String appName = read.string("dtks.spark.app-name");
    if (appName.isBlank()) {
      throw read.invalid("dtks.spark.app-name", "must not be empty");
    }
    var spark = new DtksSettings.SparkSettings(
        master.isEmpty() ? Optional.empty() : Optional.of(master), appName, read.stringMap("dtks.spark.conf"));

    String root = read.string("dtks.lakehouse.root").strip();
    if (root.isEmpty()) {
      throw read.invalid("dtks.lakehouse.root", "must be a path or URI (a local folder, hdfs:// or s3a://)");
    }
    String rawRoot = read.string("dtks.lakehouse.raw-root").strip();
    if (rawRoot.isEmpty()) {
      throw read.invalid("dtks.lakehouse.raw-root", "must be a path or URI (a local folder, hdfs:// or s3a://)");
    }
    var lakehouse = new DtksSettings.LakehouseSettings(root, rawRoot);

    String sourceDir = read.string("dtks.reference.source-dir").strip();
    var reference = new DtksSettings.ReferenceSettings(sourceDir.isEmpty() ? Optional.empty() : Optional.of(sourceDir));

    String g = "dtks.generator.";
    String d = g + "defects.";
    var defects = new DtksSettings.DefectRates(
        read.share(d + "nik-missing"),
        read.share(d + "nik-malformed"),
        read.share(d + "nik-spreadsheet"),
        read.share(d + "nik-duplicate-within-household"),
        read.share(d + "nik-duplicate-across-households"),
        read.share(d + "dead-member-listed"),
        read.share(d + "unknown-region"),
        read.share(d + "impossible-household-value"),
        read.share(d + "impossible-birth-date"),
        read.share(d + "orphan-member"),
        read.share(d + "duplicate-household"),
        read.share(d + "update-by-revoked-operator"));
    double nikDefects = defects.nikMissing() + defects.nikMalformed() + defects.nikSpreadsheet()
        + defects.nikDuplicateWithinHousehold() + defects.nikDuplicateAcrossHouseholds();
    if (nikDefects > 1.0) {
      throw new InvalidSettingException(
          "Invalid settings " + d + "nik-*: the NIK defect shares add up to " + rounded(nikDefects)
              + ", more than 1; a member gets at most one NIK defect");
    }
    double neverUpdating = read.share(g + "never-updating-kabkota-share");
    double active = read.share(g + "active-kabkota-share");
    if (neverUpdating + active > 1.0) {
      throw new InvalidSettingException(
          "Invalid settings " + g + "never-updating-kabkota-share + " + g + "active-kabkota-share = "
              + rounded(neverUpdating + active) + ": must add up to at most 1 (the rest update under 50%)");
    }
    var generator = new DtksSettings.GeneratorSettings(
        read.wholeNumber(g + "seed"),
        read.longAtLeast(g + "households", 1),
        read.intAtLeast(g + "files-per-table", 0),
        read.share(g + "survey-share"),
        neverUpdating,
        active,
        read.share(g + "revoked-operator-share"),
        read.share(g + "dukcapil-match-share"),
        defects);

    String modelName = read.string("dtks.calibrate.model-name").strip();
    if (!modelName.matches("[a-z0-9][a-z0-9-]*")) {
      throw read.invalid("dtks.calibrate.model-name", "must be lower-case letters, digits and '-', e.g. pmt-kalibrasi");
    }
    double holdout = read.share("dtks.calibrate.holdout-share");
    if (holdout <= 0 || holdout >= 1) {
      throw read.invalid("dtks.calibrate.holdout-share", "must lie strictly between 0 and 1");
    }
    long shrinkage = read.longAtLeast("dtks.calibrate.shrinkage-households", 0);
    var calibration = new DtksSettings.CalibrationSettings(modelName, holdout, shrinkage);

    String model = read.string("dtks.rank.model").strip();
    if (!model.matches("[a-z0-9][a-z0-9-]*@[A-Za-z0-9.-]+")) {
      throw read.invalid("dtks.rank.model", "must be name@version, e.g. pmt-ilustratif@1");
    }
    long population = read.longAtLeast("dtks.rank.reference-population", 0);
    var rank = new DtksSettings.RankSettings(model,
        population == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(population),
        read.intAtLeast("dtks.rank.histogram-cells-per-level", 1));

    int window = read.intAtLeast("dtks.coverage.verivali-window-months", 1);
    if (window > 240) {
      throw read.invalid("dtks.coverage.verivali-window-months", "must be at most 240 (20 years)");
    }
    var coverage = new DtksSettings.CoverageSettings(window, read.bool("dtks.coverage.exports"));

    java.util.Map<String, DtksSettings.ProgramRule> programs = new java.util.LinkedHashMap<>();
    for (id.dtks.lakehouse.reference.Program program : id.dtks.lakehouse.reference.Program.values()) {
      String p = "dtks.programs." + program.name() + ".";
      if (!config.hasPath("dtks.programs." + program.name())) {
        throw new InvalidSettingException("Missing setting dtks.programs." + program.name() + ": every program needs its rules");
      }
      long desilMax = read.longAtLeast(p + "desil-max", 1);
      if (desilMax > 10) {
        throw read.invalid(p + "desil-max", "must be a desil from 1 to 10");
      }
      programs.put(program.name(), new DtksSettings.ProgramRule((int) desilMax,
          read.codes(p + "member-conditions", id.dtks.lakehouse.reference.Program.MEMBER_CONDITIONS),
          read.codes(p + "household-conditions", id.dtks.lakehouse.reference.Program.HOUSEHOLD_CONDITIONS),
          read.longAtLeast(p + "quota-per-kabkota", 0)));
    }

    String l = "dtks.prelist.";
    long prelistDesil = read.longAtLeast(l + "desil-max", 0);
    if (prelistDesil > 10) {
      throw read.invalid(l + "desil-max", "must be a desil from 0 (no desil range, only the checks) to 10");
    }
    int prelistWindow = read.intAtLeast(l + "verivali-window-months", 1);
    if (prelistWindow > 240) {
      throw read.invalid(l + "verivali-window-months", "must be at most 240 (20 years)");
    }
    var prelist = new DtksSettings.PrelistSettings((int) prelistDesil,
        read.codes(l + "checks", id.dtks.lakehouse.prelist.PrelistReason.checkCodes()), prelistWindow,
        read.intAtLeast(l + "households-per-enumerator", 1), read.intAtLeast(l + "enumerators-per-supervisor", 1),
        read.bool(l + "exports"));

    return new DtksSettings(environment, spark, lakehouse, reference, generator, calibration, rank, coverage,
        java.util.Collections.unmodifiableMap(programs), prelist);
  }

  private static String rounded(double value) {
    return java.math.BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** Every effective {@code dtks.*} setting, sorted, with secrets masked: logged once at start. */
  static Map<String, String> effectiveSettings(Config config) {
    Map<String, String> effective = new TreeMap<>();
    for (var entry : config.getConfig("dtks").entrySet()) {
      String key = "dtks." + entry.getKey();
      String value = String.valueOf(entry.getValue().unwrapped());
      effective.put(key, SECRET_KEY.matcher(key).matches() ? MASK : value);
    }
    return effective;
  }

  /**
   * The validated settings, the flat view of every effective key (secrets masked) for the log, and
   * where the environment's settings came from.
   */
  public record Loaded(DtksSettings settings, Map<String, String> effective, String origin) {}
}
