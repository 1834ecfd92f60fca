package id.dtks.lakehouse.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.PeriodCommand;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.ops.RunLog;
import java.util.List;

/** {@code dtks ingest}: a period's raw exports into bronze, with quarantine and reconciliation. */
public final class IngestCommand extends PeriodCommand {
  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String summary() {
    return "load a period's raw exports into bronze Delta tables; bad rows to quarantine with reasons";
  }

  @Override
  public String description() {
    return """
        Reads the raw parquet exports of a period from <raw-root>/<period>/ and writes the bronze
        tables <lakehouse>/bronze/<export>/ (accepted rows, with periode, id_batch, file_sumber and
        waktu_muat) and <lakehouse>/bronze/karantina/ (rejected rows with every reason code; the
        codes are listed in jobs/docs/quarantine-reasons.md). A missing column, a column of another
        type or an unreadable file fails the batch before anything is written. For every export,
        rows read = accepted + quarantined, or the job fails; the counts go to ops/run_log.
        Re-running a period replaces its rows.""";
  }

  @Override
  protected void run(JobContext context, Period period) {
    runAndReport(context, period);
  }

  /** Ingests a period and prints its reconciliation and quarantine summary; the demo calls this too. */
  public static IngestPeriod.Result runAndReport(JobContext context, Period period) {
    IngestPeriod.Result result = context.progress().step("ingest period " + period,
        () -> IngestPeriod.into(context.spark(), context.lakehouse()).period(period).progress(context.progress()).execute());
    context.out().printf("  batch %s%n", result.batchId());
    context.out().printf("  %-24s %12s %12s %12s%n", "export", "read", "accepted", "quarantined");
    for (RunLog.Entry entry : result.counts()) {
      context.out().printf("  %-24s %,12d %,12d %,12d%n", entry.table(), entry.read(), entry.accepted(), entry.quarantined());
    }
    // Bounded: one row per (export, reason code) pair.
    List<org.apache.spark.sql.Row> reasons = context.spark().read().format("delta")
        .load(context.lakehouse().table(Layer.BRONZE, IngestPeriod.QUARANTINE_TABLE))
        .where(col(IngestPeriod.PERIOD).equalTo(period.toString()))
        .select(col("tabel_sumber"), explode(col("alasan")).as("alasan"))
        .groupBy("tabel_sumber", "alasan").count().orderBy("tabel_sumber", "alasan").collectAsList();
    context.out().println("  quarantine reasons:");
    for (org.apache.spark.sql.Row row : reasons) {
      context.out().printf("    %-24s %-28s %,10d%n", row.getString(0), row.getString(1), row.getLong(2));
    }
    context.out().printf("  bronze tables in %s/%s/%n", context.lakehouse().root(), Layer.BRONZE.folder());
    return result;
  }
}
