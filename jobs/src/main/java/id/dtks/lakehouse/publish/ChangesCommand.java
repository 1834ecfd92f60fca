package id.dtks.lakehouse.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import id.dtks.lakehouse.cli.Command;
import id.dtks.lakehouse.cli.CommandLine;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.OptionSpec;
import id.dtks.lakehouse.cli.UsageException;
import id.dtks.lakehouse.spark.Writes;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@code dtks changes}: what a consumer has not yet processed of a curated table, written out, then acknowledged. */
public final class ChangesCommand implements Command {
  private static final List<String> TABLES = List.of(PublishPeriod.PROGRAMS_TABLE, PublishPeriod.WITHOUT_NIK_TABLE);

  @Override
  public String name() {
    return "changes";
  }

  @Override
  public String summary() {
    return "a consumer's unprocessed changes of a program table (change feed), written out, watermark moved";
  }

  @Override
  public String description() {
    return """
        Reads the Change Data Feed of a program table from the version after the consumer's watermark
        (ops.watermark_konsumen) to the current one, writes it as parquet to
        <lakehouse>/export/perubahan/<consumer>/v<from>-v<to>/ (or --out), prints who was added,
        removed or changed per program, and only then moves the watermark: a consumer whose run fails
        gets the same changes next time. Rows carry _change_type: insert, delete, update_preimage,
        update_postimage. The output holds clear NIKs: program-grade personal data.""";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.required("consumer", "NAME", "who reads, e.g. pkh-payment (one watermark per consumer and table)"),
        OptionSpec.optional("table", "TABLE", "kelayakan_program (default) or kelayakan_tanpa_nik"),
        OptionSpec.optional("out", "DIR", "folder to write the changes to (default <lakehouse>/export/perubahan)"));
  }

  @Override
  public void check(CommandLine commandLine) {
    String table = commandLine.value("table").orElse(PublishPeriod.PROGRAMS_TABLE);
    if (!TABLES.contains(table)) {
      throw new UsageException("Option '--table' must be one of " + TABLES + ", not '" + table + "'");
    }
    String consumer = commandLine.value("consumer").orElse("");
    if (!consumer.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new UsageException("Option '--consumer' must be letters, digits, '_', '.', '-' (up to 64), e.g. pkh-payment; not '"
          + consumer + "'");
    }
  }

  @Override
  public void run(JobContext context, CommandLine commandLine) {
    String table = commandLine.value("table").orElse(PublishPeriod.PROGRAMS_TABLE);
    String consumer = commandLine.value("consumer").orElseThrow();
    ChangeFeed feed = ChangeFeed.of(context.spark(), context.lakehouse(), table);
    ChangeFeed.Pending pending = feed.pending(consumer);
    if (pending.isEmpty()) {
      context.out().printf("  %s has processed gold.%s up to its current version %d: nothing new%n", consumer, table,
          pending.toVersion());
      return;
    }
    String folder = commandLine.value("out").orElse(context.lakehouse().root() + "/export/perubahan") + "/" + consumer + "/v"
        + pending.fromVersion() + "-v" + pending.toVersion();
    long rows = context.progress().step("write the changes of gold." + table + " for " + consumer, () -> {
      long written = Writes.replaceParquet(pending.changes(), folder);
      return new id.dtks.lakehouse.spark.Progress.Counted<>(written, written);
    }).value();
    Dataset<Row> written = context.spark().read().parquet(folder);
    context.out().printf("  gold.%s versions %d to %d: %,d change rows for %s in %s%n", table, pending.fromVersion(),
        pending.toVersion(), rows, consumer, folder);
    for (Row row : written.groupBy("program", "_change_type").agg(count(lit(1))).orderBy(col("program"), col("_change_type"))
        .collectAsList()) {
      context.out().printf("    %-16s %-17s %,9d%n", row.getString(0), row.getString(1), row.getLong(2));
    }
    feed.acknowledge(pending);
    context.out().printf("  watermark of %s on gold.%s is now version %d%n", consumer, table, pending.toVersion());
  }
}
