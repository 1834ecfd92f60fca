package id.dtks.lakehouse.rank;

import id.dtks.lakehouse.cli.Command;
import id.dtks.lakehouse.cli.CommandLine;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.OptionSpec;
import id.dtks.lakehouse.cli.UsageException;
import id.dtks.lakehouse.config.DtksSettings.RankSettings;
import id.dtks.lakehouse.lakehouse.Period;
import java.util.List;
import java.util.OptionalLong;

/** {@code dtks rank}: PMT scores and the exact national, provincial and district ranking of a period. */
public final class RankCommand implements Command {
  private static final String MODEL_PATTERN = "[a-z0-9][a-z0-9-]*@[A-Za-z0-9.-]+";

  @Override
  public String name() {
    return "rank";
  }

  @Override
  public String summary() {
    return "score every household with the PMT model and rank it: national percentile and desil, exact";
  }

  @Override
  public String description() {
    return """
        Scores the rankable households of silver (active, not moved, not found or died out, with a
        living member) with a proxy-means-test model and ranks them into <lakehouse>/gold/peringkat_rumah_tangga:
          persentil_nasional, desil_nasional   one national order over all 514 kabupaten/kota, people-weighted:
                                               ceil(100 * cum / N), ceil(10 * cum / N), cum the running sum of
                                               household sizes in order of score (ties by id_rt)
          persentil_provinsi, persentil_kabkota the same within the province and the kabupaten/kota
        with the score, the model (name@version) and N. N is the registry's people unless
        dtks.rank.reference-population names a population. Exact and parallel: a histogram and
        99 cut points per group, no global sort. Re-running a period replaces its rows.""";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.period(),
        OptionSpec.optional("model", "NAME@VERSION", "PMT model to score with (default dtks.rank.model, e.g. pmt-ilustratif@1)"),
        OptionSpec.optional("reference-population", "N", "people N of the percentiles (default: the registry's own people)"));
  }

  @Override
  public void check(CommandLine commandLine) {
    commandLine.period();
    commandLine.value("model").ifPresent(RankCommand::requireModelId);
    commandLine.longValue("reference-population", 1);
  }

  public static void requireModelId(String id) {
    if (!id.matches(MODEL_PATTERN)) {
      throw new UsageException("Option '--model' must be NAME@VERSION (e.g. pmt-ilustratif@1, pmt-kalibrasi@2026-11), not '" + id + "'");
    }
  }

  @Override
  public void run(JobContext context, CommandLine commandLine) {
    RankSettings defaults = context.settings().rank();
    RankSettings settings = new RankSettings(commandLine.value("model").orElse(defaults.model()),
        commandLine.longValue("reference-population", 1).map(OptionalLong::of).orElse(defaults.referencePopulation()),
        defaults.histogramCellsPerLevel());
    runAndReport(context, commandLine.period(), settings);
  }

  /** Ranks a period and prints the people per desil; the demo calls this too. */
  public static RankPeriod.Result runAndReport(JobContext context, Period period, RankSettings settings) {
    RankPeriod.Result result = context.progress().step("rank period " + period,
        () -> RankPeriod.in(context.spark(), context.lakehouse()).period(period).settings(settings)
            .progress(context.progress()).execute());
    context.out().printf("  %,d households, %,d people ranked with %s; N = %,d%n", result.households(), result.people(),
        result.model(), result.referencePopulation());
    for (PopulationRanking.LevelSummary level : result.levels()) {
      context.out().printf("  %-14s %,5d group(s), %,d histogram cells, %,d households looked at inside the cut bins%n",
          level.name(), level.groups(), level.bins(), level.householdsInCutBins());
    }
    context.out().printf("  %-6s %12s %14s %8s%n", "desil", "households", "people", "share");
    for (RankPeriod.Desil desil : result.desils()) {
      context.out().printf("  %-6d %,12d %,14d %7.2f%%%n", desil.desil(), desil.households(), desil.people(),
          100.0 * desil.people() / result.referencePopulation());
    }
    context.out().printf("  table: %s%n", result.table());
    return result;
  }
}
