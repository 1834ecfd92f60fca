package id.dtks.lakehouse.config;

import java.util.Map;
import java.util.Optional;

/**
 * Every setting of a run, read once at start by {@link SettingsLoader} and validated. Each
 * component mirrors a block of {@code reference.conf}, where the keys, defaults and meanings live.
 */
public record DtksSettings(
    String environment,
    SparkSettings spark,
    LakehouseSettings lakehouse,
    ReferenceSettings reference,
    GeneratorSettings generator,
    CalibrationSettings calibration,
    RankSettings rank,
    CoverageSettings coverage,
    Map<String, ProgramRule> programs,
    PrelistSettings prelist) {

  /** {@code dtks.calibrate}: fitting the proxy-means-test model on the consumption survey. */
  public record CalibrationSettings(String modelName, double holdoutShare, double shrinkageHouseholds) {}

  /**
   * {@code dtks.rank}: the model that scores (name@version), the reference population N (empty:
   * the registry's own people), and the histogram cells per ranking level.
   */
  public record RankSettings(String model, java.util.OptionalLong referencePopulation, int histogramCellsPerLevel) {}

  /**
   * {@code dtks.coverage}: the verivali window (a household counts as updated when its last update
   * falls in the months up to the period's last day) and whether the job writes CSV and JSON exports.
   */
  public record CoverageSettings(int verivaliWindowMonths, boolean exports) {}

  /**
   * {@code dtks.prelist}: which households the field update visits (the target desil range and the
   * checks that add a household whatever its desil) and how officers are sized.
   */
  public record PrelistSettings(int desilMax, java.util.List<String> checks, int verivaliWindowMonths,
      int householdsPerEnumerator, int enumeratorsPerSupervisor, boolean exports) {
    public PrelistSettings {
      checks = java.util.List.copyOf(checks);
    }
  }

  /**
   * {@code dtks.programs.<PROGRAM>}: who a program takes. Conditions are the codes of
   * {@code reference.conf}; {@code quotaPerKabkota} 0 means no quota.
   */
  public record ProgramRule(int desilMax, java.util.List<String> memberConditions, java.util.List<String> householdConditions,
      long quotaPerKabkota) implements java.io.Serializable {
    public ProgramRule {
      memberConditions = java.util.List.copyOf(memberConditions);
      householdConditions = java.util.List.copyOf(householdConditions);
    }
  }

  /** {@code dtks.spark}: how the session is built. */
  public record SparkSettings(Optional<String> master, String appName, Map<String, String> conf) {
    public SparkSettings {
      conf = Map.copyOf(conf);
    }
  }

  /** {@code dtks.lakehouse}: where the tables live. */
  public record LakehouseSettings(String root, String rawRoot) {}

  /** {@code dtks.reference}: where the reference CSVs come from; empty means the bundled copies. */
  public record ReferenceSettings(Optional<String> sourceDir) {}

  /** {@code dtks.generator}: the synthetic registry. */
  public record GeneratorSettings(
      long seed,
      long households,
      int filesPerTable,
      double surveyShare,
      double neverUpdatingKabkotaShare,
      double activeKabkotaShare,
      double revokedOperatorShare,
      double dukcapilMatchShare,
      DefectRates defects) {

    public GeneratorSettings withHouseholds(long newHouseholds) {
      return new GeneratorSettings(seed, newHouseholds, filesPerTable, surveyShare,
          neverUpdatingKabkotaShare, activeKabkotaShare, revokedOperatorShare, dukcapilMatchShare,
          defects);
    }

    public GeneratorSettings withDefects(DefectRates newDefects) {
      return new GeneratorSettings(seed, households, filesPerTable, surveyShare,
          neverUpdatingKabkotaShare, activeKabkotaShare, revokedOperatorShare, dukcapilMatchShare,
          newDefects);
    }

    public GeneratorSettings withSurveyShare(double newSurveyShare) {
      return new GeneratorSettings(seed, households, filesPerTable, newSurveyShare,
          neverUpdatingKabkotaShare, activeKabkotaShare, revokedOperatorShare, dukcapilMatchShare,
          defects);
    }

    public GeneratorSettings withSeed(long newSeed) {
      return new GeneratorSettings(newSeed, households, filesPerTable, surveyShare,
          neverUpdatingKabkotaShare, activeKabkotaShare, revokedOperatorShare, dukcapilMatchShare,
          defects);
    }
  }

  /** {@code dtks.generator.defects}: share of the rows of its table that get each defect. */
  public record DefectRates(
      double nikMissing,
      double nikMalformed,
      double nikSpreadsheet,
      double nikDuplicateWithinHousehold,
      double nikDuplicateAcrossHouseholds,
      double deadMemberListed,
      double unknownRegion,
      double impossibleHouseholdValue,
      double impossibleBirthDate,
      double orphanMember,
      double duplicateHousehold,
      double updateByRevokedOperator) {}
}
