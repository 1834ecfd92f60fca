package id.dtks.lakehouse.conform;

import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.PeriodCommand;
import id.dtks.lakehouse.lakehouse.Period;

/** {@code dtks conform}: a period's bronze tables merged into silver. */
public final class ConformCommand extends PeriodCommand {
  @Override
  public String name() {
    return "conform";
  }

  @Override
  public String summary() {
    return "merge a period's bronze tables into silver: NIK checks, regions, verivali status";
  }

  @Override
  public String description() {
    return """
        Conforms the bronze tables of an ingested period into <lakehouse>/silver/:
          anggota_rumah_tangga  members with NIK and KK-number checks (one reason code per failed
                                rule), sex against the NIK, duplicated NIKs, Dukcapil status
          rumah_tangga          households with Kemendagri and BPS region codes, living size,
                                latest verivali status, and whether they can be ranked
        Silver holds the current state, merged period by period (Change Data Feed on): unchanged
        rows stay, changed rows are updated, rows missing from the period are marked DIHAPUS.
        Periods are conformed in order; re-running a period changes nothing.""";
  }

  @Override
  protected void run(JobContext context, Period period) {
    runAndReport(context, period);
  }

  /** Conforms a period and prints what changed in each silver table; the demo calls this too. */
  public static ConformPeriod.Result runAndReport(JobContext context, Period period) {
    ConformPeriod.Result result = context.progress().step("conform period " + period,
        () -> ConformPeriod.into(context.spark(), context.lakehouse()).period(period).progress(context.progress()).execute());
    context.out().printf("  %-24s %12s %12s %12s %12s  %s%n", "silver table", "rows", "inserted", "updated", "removed", "version");
    for (ConformPeriod.TableChanges change : result.changes()) {
      context.out().printf("  %-24s %,12d %,12d %,12d %,12d  %d%n", change.table(), change.sourceRows(), change.inserted(),
          change.updated(), change.removed(), change.version());
    }
    return result;
  }
}
