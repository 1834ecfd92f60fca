package id.dtks.lakehouse.generate;

import id.dtks.lakehouse.cli.Command;
import id.dtks.lakehouse.cli.CommandLine;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.OptionSpec;
import id.dtks.lakehouse.config.DtksSettings.GeneratorSettings;
import id.dtks.lakehouse.lakehouse.Period;
import java.util.List;

/** {@code dtks generate}: one period of synthetic raw exports. */
public final class GenerateCommand implements Command {
  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "write a period of synthetic raw parquet exports (households, members, programs, ...)";
  }

  @Override
  public String description() {
    return """
        Writes one period's raw parquet exports of a synthetic registry to <raw-root>/<period>/:
        rumah_tangga, anggota_rumah_tangga, penerima_program, verivali, operator, padan_dukcapil
        and survei_konsumsi (contract: jobs/docs/raw-exports.md), with the defects set under
        dtks.generator.defects. Households are spread over the 514 kabupaten/kota by their real
        population. Deterministic: the same seed, scale and period give the same rows.
        Needs the ref layer: run 'dtks reference' first.""";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.period(),
        OptionSpec.optional("households", "N", "households to generate (default dtks.generator.households)"),
        OptionSpec.optional("seed", "N", "random seed (default dtks.generator.seed)"));
  }

  @Override
  public void check(CommandLine commandLine) {
    commandLine.period();
    commandLine.longValue("households", 1);
    commandLine.longValue("seed", Long.MIN_VALUE);
  }

  @Override
  public void run(JobContext context, CommandLine commandLine) {
    run(context, commandLine.period(), effectiveSettings(context, commandLine));
  }

  static GeneratorSettings effectiveSettings(JobContext context, CommandLine commandLine) {
    GeneratorSettings settings = context.settings().generator();
    settings = settings.withHouseholds(commandLine.longValue("households", 1).orElse(settings.households()));
    return settings.withSeed(commandLine.longValue("seed", Long.MIN_VALUE).orElse(settings.seed()));
  }

  /** Generates a period and prints what was written; the demo calls this too. */
  public static GenerateRawExports.Result run(JobContext context, Period period, GeneratorSettings settings) {
    context.progress().info("generating %,d households for period %s (seed %d)", settings.households(), period, settings.seed());
    GenerateRawExports.Result result = context.progress().step("generate raw exports",
        () -> GenerateRawExports.into(context.spark(), context.lakehouse())
            .settings(settings)
            .period(period)
            .partitions(settings.filesPerTable())
            .progress(context.progress())
            .execute());
    result.rowsWritten().forEach((export, rows) -> context.out().printf("  %-24s %,12d rows  %s%n",
        "raw." + export.folder(), rows, context.lakehouse().rawTable(period, export.folder())));
    return result;
  }
}
