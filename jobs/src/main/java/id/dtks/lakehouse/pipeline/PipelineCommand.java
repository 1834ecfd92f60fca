package id.dtks.lakehouse.pipeline;

import id.dtks.lakehouse.cli.Command;
import id.dtks.lakehouse.cli.CommandLine;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.OptionSpec;
import id.dtks.lakehouse.config.DtksSettings.RankSettings;
import id.dtks.lakehouse.conform.ConformCommand;
import id.dtks.lakehouse.coverage.CoverageCommand;
import id.dtks.lakehouse.ingest.IngestCommand;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.publish.PseudonymKey;
import id.dtks.lakehouse.publish.PublishCommand;
import id.dtks.lakehouse.rank.RankCommand;
import java.util.List;

/** {@code dtks pipeline}: every step of a period, in order, ending with its publication manifest. */
public final class PipelineCommand implements Command {
  @Override
  public String name() {
    return "pipeline";
  }

  @Override
  public String summary() {
    return "run every step of a period in order: ingest, conform, rank, coverage, publish";
  }

  @Override
  public String description() {
    return """
        Runs a period's raw exports through the whole pipeline, each step as its own job would:
          1. ingest    raw exports to bronze, bad rows to quarantine
          2. conform   bronze to silver
          3. rank      scores and the exact national ranking (--model, default dtks.rank.model)
          4. coverage  statistics for the 514 kabupaten/kota, 34 provinces and the nation
          5. publish   program and analyst tables, and the publication manifest (ops.publikasi)
        Needs DTKS_PSEUDONYM_KEY (checked before anything runs). Every step replaces what it wrote
        for the period, so running a period again gives the same tables.""";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.period(),
        OptionSpec.optional("model", "NAME@VERSION", "PMT model to rank with (default dtks.rank.model)"));
  }

  @Override
  public void check(CommandLine commandLine) {
    Period period = commandLine.period();
    commandLine.value("model").ifPresent(RankCommand::requireModelId);
    PublishCommand.requireKeyBeforeStart(period);
  }

  @Override
  public void run(JobContext context, CommandLine commandLine) {
    Period period = commandLine.period();
    PseudonymKey key = PublishCommand.requireKey(System.getenv(), period);
    RankSettings defaults = context.settings().rank();
    run(context, period, new RankSettings(commandLine.value("model").orElse(defaults.model()), defaults.referencePopulation(),
        defaults.histogramCellsPerLevel()), key);
  }

  /** The steps after the raw exports, printed as they go; the demo runs these too, with a calibration before ranking. */
  static void run(JobContext context, Period period, RankSettings rank, PseudonymKey key) {
    ingestAndConform(context, period);
    rankCoverPublish(context, period, rank, key);
  }

  static void ingestAndConform(JobContext context, Period period) {
    context.out().println("Ingest (raw exports to bronze, bad rows to quarantine):");
    IngestCommand.runAndReport(context, period);
    context.out().println();
    context.out().println("Conform (bronze to silver: NIK checks, regions, verivali status):");
    ConformCommand.runAndReport(context, period);
    context.out().println();
  }

  static void rankCoverPublish(JobContext context, Period period, RankSettings rank, PseudonymKey key) {
    context.out().println("Rank (scores and the exact national percentile and desil, model " + rank.model() + "):");
    RankCommand.runAndReport(context, period, rank);
    context.out().println();
    context.out().println("Coverage (statistics per kabupaten/kota, province and the nation):");
    CoverageCommand.runAndReport(context, period);
    context.out().println();
    context.out().println("Publish (program eligibility, pseudonymised analyst tables, the publication manifest):");
    PublishCommand.runAndReport(context, period, key);
    context.out().println();
  }
}
