package id.dtks.lakehouse.cli;

import id.dtks.lakehouse.lakehouse.Period;
import java.util.List;

/** A job whose only option is the period it processes (ingest, conform, and the steps after them). */
public abstract class PeriodCommand implements Command {
  @Override
  public final List<OptionSpec> options() {
    return List.of(OptionSpec.period());
  }

  @Override
  public void check(CommandLine commandLine) {
    commandLine.period();
  }

  @Override
  public final void run(JobContext context, CommandLine commandLine) {
    run(context, commandLine.period());
  }

  /** Runs the job for one period. */
  protected abstract void run(JobContext context, Period period);
}
