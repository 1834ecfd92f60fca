package id.dtks.lakehouse.pipeline;

import id.dtks.lakehouse.cli.Command;
import id.dtks.lakehouse.cli.CommandLine;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.OptionSpec;
import id.dtks.lakehouse.config.DtksSettings.GeneratorSettings;
import id.dtks.lakehouse.config.DtksSettings.RankSettings;
import id.dtks.lakehouse.generate.GenerateCommand;
import id.dtks.lakehouse.ingest.IngestPeriod;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.prelist.PrelistCommand;
import id.dtks.lakehouse.publish.PseudonymKey;
import id.dtks.lakehouse.rank.CalibrateCommand;
import id.dtks.lakehouse.rank.CalibratePeriod;
import id.dtks.lakehouse.rank.RankPeriod;
import id.dtks.lakehouse.reference.ReferenceCommand;
import java.time.YearMonth;
import java.util.List;

/**
 * {@code dtks demo}: the whole pipeline on generated data, for a newcomer's first run. Today:
 * reference data and one generated period; later steps join here as they are built.
 */
public final class DemoCommand implements Command {
  static final Period DEFAULT_PERIOD = new Period(YearMonth.of(2026, 11));

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "end to end on generated data: load reference data, generate a period, run the pipeline";
  }

  @Override
  public String description() {
    return """
        Runs everything there is on a synthetic registry, on the embedded Spark by default:
          1. reference   load the ref layer (regions, population, BPS crosswalk)
          2. generate    write a period of raw parquet exports with injected defects
          3. ingest      raw exports to bronze Delta tables, bad rows to quarantine
          4. conform     bronze to silver: NIK checks, regions, latest verivali status
          5. calibrate   fit the PMT model per province on the consumption survey
          6. rank        score every household with that model, exact national percentile and desil
          7. coverage    statistics for the 514 kabupaten/kota, 34 provinces and the nation, with exports
          8. publish     program eligibility, pseudonymised analyst tables, the publication manifest
          9. prelist     the field update's households, assigned to enumerators and supervisors
        and prints where each table is. Without DTKS_PSEUDONYM_KEY it publishes with a throwaway key
        and says so. Safe to run again: every step replaces its output.""";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.optional("period", "YYYY-MM", "reporting month to generate (default " + DEFAULT_PERIOD + ")"),
        OptionSpec.optional("households", "N", "households to generate (default dtks.generator.households)"));
  }

  @Override
  public void check(CommandLine commandLine) {
    commandLine.optionalPeriod();
    commandLine.longValue("households", 1);
  }

  @Override
  public void run(JobContext context, CommandLine commandLine) {
    Period period = commandLine.optionalPeriod().orElse(DEFAULT_PERIOD);
    GeneratorSettings generator = context.settings().generator();
    generator = generator.withHouseholds(commandLine.longValue("households", 1).orElse(generator.households()));

    context.out().printf("DTKS Lakehouse demo: period %s, %,d households, lakehouse at %s/%n%n",
        period, generator.households(), context.lakehouse().root());
    context.out().println("Reference tables:");
    ReferenceCommand.run(context);
    context.out().println();
    context.out().println("Raw exports (synthetic, with injected defects):");
    GenerateCommand.run(context, period, generator);
    context.out().println();
    PseudonymKey key = PseudonymKey.fromEnvironment(System.getenv()).orElseGet(() -> {
      context.out().printf("No %s in the environment: the demo publishes with its throwaway key, which is public%n"
          + "and protects nothing. Real periods are published with 'dtks publish' or 'dtks pipeline', which refuse to run%n"
          + "without the variable.%n%n", PseudonymKey.ENVIRONMENT_VARIABLE);
      return PseudonymKey.demo();
    });
    PipelineCommand.ingestAndConform(context, period);
    context.out().println("Calibrate (the PMT model per province, on the consumption survey):");
    CalibratePeriod.Result calibration = CalibrateCommand.runAndReport(context, period);
    context.out().println();
    context.out().printf("The coverage below compares %,d generated households with the real population of 2024,%n"
        + "so the shares of the population are small.%n%n", generator.households());
    RankSettings rank = context.settings().rank();
    PipelineCommand.rankCoverPublish(context, period,
        new RankSettings(calibration.model().id(), rank.referencePopulation(), rank.histogramCellsPerLevel()), key);
    context.out().println("Prelist (the field update: households to visit, enumerators, supervisors, coordinators):");
    PrelistCommand.runAndReport(context, period);
    context.out().println();
    context.out().printf("Done in %.1f s. Read a table with Spark, e.g.%n  spark.read.format(\"delta\").load(\"%s\")%n"
        + "Quarantined rows with their reasons: %s%n",
        context.progress().elapsed().toMillis() / 1000.0, context.lakehouse().table(Layer.GOLD, RankPeriod.TABLE),
        context.lakehouse().table(Layer.BRONZE, IngestPeriod.QUARANTINE_TABLE));
  }
}
