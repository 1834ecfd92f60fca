package id.dtks.lakehouse.prelist;

import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.PeriodCommand;
import id.dtks.lakehouse.config.DtksSettings.PrelistSettings;
import id.dtks.lakehouse.lakehouse.Period;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** {@code dtks prelist}: the households to visit in the field update, assigned to field officers. */
public final class PrelistCommand extends PeriodCommand {
  @Override
  public String name() {
    return "prelist";
  }

  @Override
  public String summary() {
    return "the prelist of the field update: households to visit, assigned to enumerators, supervisors, coordinators";
  }

  @Override
  public String description() {
    return """
        Selects the households field officers visit in the update round (jobs/docs/prelist.md):
        those ranked in desil 1 to dtks.prelist.desil-max (default 6), and those that need a check
        whatever their desil (dtks.prelist.checks: invalid or unmatched NIK, no update within the
        window, a dead member still listed, last updated by a revoked operator). Each household
        carries every reason that applies. It then assigns them: enumerators inside one kecamatan,
        about dtks.prelist.households-per-enumerator (500) each, neighbours together (desa, then
        household id); supervisors over about 5 enumerators of a kabupaten/kota; one coordinator per
        kecamatan with work. Writes <lakehouse>/gold/prelist and gold/beban_kerja_prelist (all 514
        kabupaten/kota), and the field apps' files <lakehouse>/export/prelist/<period>/<kabkota>.csv,
        which carry names and NIKs. Needs silver at the period and the period's ranking; the same
        input gives the same assignment, and re-running a period replaces its rows and files.""";
  }

  @Override
  protected void run(JobContext context, Period period) {
    runAndReport(context, period);
  }

  /** Prepares a period's prelist and prints its counts and officers; the demo calls this too. */
  public static PrelistPeriod.Result runAndReport(JobContext context, Period period) {
    PrelistSettings settings = context.settings().prelist();
    PrelistPeriod.Result result = context.progress().step("prelist of period " + period,
        () -> PrelistPeriod.in(context.spark(), context.lakehouse()).period(period).settings(settings)
            .progress(context.progress()).execute());
    print(context.out(), result, settings);
    return result;
  }

  static void print(PrintStream out, PrelistPeriod.Result result, PrelistSettings settings) {
    out.printf("  %,d households on the prelist of %s; by reason (a household may have several):%n", result.households(),
        result.period());
    for (Map.Entry<String, Long> reason : result.byReason().entrySet()) {
      out.printf("    %-20s %,10d%n", reason.getKey(), reason.getValue());
    }
    out.printf("  officers: %,d enumerators, %,d supervisors, %,d kecamatan coordinators%n", result.enumerators(),
        result.supervisors(), result.coordinators());
    out.printf(Locale.ROOT, "  households per enumerator: min %d, mean %.1f, max %d (target %d)%n", result.minPerEnumerator(),
        result.meanPerEnumerator(), result.maxPerEnumerator(), settings.householdsPerEnumerator());
    if (!result.exportFolder().isEmpty()) {
      out.printf("  field files: %,d in %s (names and NIKs: program-grade personal data)%n", result.exportFiles(),
          result.exportFolder());
    }
  }
}
