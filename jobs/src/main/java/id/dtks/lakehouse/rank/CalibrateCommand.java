package id.dtks.lakehouse.rank;

import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.PeriodCommand;
import id.dtks.lakehouse.lakehouse.Period;

/** {@code dtks calibrate}: fits the PMT model per province on a period's consumption survey. */
public final class CalibrateCommand extends PeriodCommand {
  @Override
  public String name() {
    return "calibrate";
  }

  @Override
  public String summary() {
    return "fit the PMT model per province on the consumption survey; report R² and targeting errors";
  }

  @Override
  public String description() {
    return """
        Fits the proxy-means-test model on the period's consumption survey (bronze.survei_konsumsi
        joined to the rankable households of silver): weighted least squares of log per-capita
        consumption on the proxies, per province, pulled towards the national fit, from normal
        equations summed in one pass. A share of the survey (dtks.calibrate.holdout-share) is held
        out to judge it: R², and the inclusion and exclusion errors of taking the poorest 40% of
        people by the model instead of by measured consumption; the default model is judged on the
        same households. Writes the model as <model-name>@<period> to <lakehouse>/gold/model_pmt and
        the judgement to gold/model_pmt_evaluasi. Rank with it: dtks rank --period P --model <id>.""";
  }

  @Override
  protected void run(JobContext context, Period period) {
    runAndReport(context, period);
  }

  /** Calibrates on a period's survey and prints how the new and the default model did; the demo calls this too. */
  public static CalibratePeriod.Result runAndReport(JobContext context, Period period) {
    PmtModel reference = new ModelTable(context.spark(), context.lakehouse()).resolve(context.settings().rank().model());
    CalibratePeriod.Result result = context.progress().step("calibrate on the survey of " + period,
        () -> CalibratePeriod.in(context.spark(), context.lakehouse()).period(period).settings(context.settings().calibration())
            .comparedWith(reference).progress(context.progress()).execute());
    context.out().printf("  %-24s %10s %10s %9s %9s %12s %12s%n", "model", "trained on", "held out", "R² train", "R² test",
        "inclusion", "exclusion");
    for (String id : java.util.List.of(result.model().id(), reference.id())) {
      CalibratePeriod.Fit fit = result.national(id);
      context.out().printf("  %-24s %,10d %,10d %9s %9s %12s %12s%n", id, fit.trainingHouseholds(), fit.holdoutHouseholds(),
          decimal(fit.trainingRSquared()), decimal(fit.holdoutRSquared()), percent(fit.inclusionError()),
          percent(fit.exclusionError()));
    }
    context.out().printf("  inclusion: share of the people the model puts in the poorest 40%% who are not there by measured "
        + "consumption; exclusion: share of the poorest 40%% the model leaves out%n");
    context.out().printf("  model %s: %d provinces with their own terms; rank with --model %s%n", result.model().id(),
        result.model().provinces().size(), result.model().id());
    return result;
  }

  private static String decimal(double value) {
    return Double.isNaN(value) ? "-" : String.format("%.3f", value);
  }

  private static String percent(double value) {
    return Double.isNaN(value) ? "-" : String.format("%.1f%%", 100 * value);
  }
}
