package id.dtks.lakehouse.publish;

import id.dtks.lakehouse.cli.CommandLine;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.PeriodCommand;
import id.dtks.lakehouse.cli.UsageException;
import id.dtks.lakehouse.lakehouse.Period;
import java.util.Map;

/** {@code dtks publish}: the curated program and analyst tables of a period, and its publication manifest. */
public final class PublishCommand extends PeriodCommand {
  @Override
  public String name() {
    return "publish";
  }

  @Override
  public String summary() {
    return "curated tables of a ranked period: program eligibility, pseudonymised analyst tables, the manifest";
  }

  @Override
  public String description() {
    return """
        Publishes a ranked period (after coverage) into <lakehouse>/gold/ (data dictionary:
        jobs/docs/curated-tables.md):
          kelayakan_program            who each program takes (dtks.programs rules), with the clear NIK of
                                       the member paid: program-grade personal data. The current state,
                                       merged each period: its change feed says who was added, removed, changed
          kelayakan_tanpa_nik          eligible units whose NIK is not valid (not payable until fixed)
          analis_rumah_tangga          households with their ranking, per period, nothing personal
          analis_anggota_rumah_tangga  members per period: no names, NIK and KK number as HMAC-SHA-256
                                       pseudonyms, birth year only
        and <lakehouse>/ops/publikasi: the version and rows of every table the period was published
        from and to (read "the tables as published" with versionAsOf). The pseudonym key comes from
        the environment variable DTKS_PSEUDONYM_KEY (at least 32 bytes); without it nothing is written.""";
  }

  /** A missing key stops the job before Spark starts, as a wrong setting does. */
  @Override
  public void check(CommandLine commandLine) {
    super.check(commandLine);
    requireKeyBeforeStart(commandLine.period());
  }

  /** {@link #requireKey} as a usage error: exit code 2, no stack trace. */
  public static void requireKeyBeforeStart(Period period) {
    try {
      requireKey(System.getenv(), period);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  @Override
  protected void run(JobContext context, Period period) {
    runAndReport(context, period, requireKey(System.getenv(), period));
  }

  /** The key from the environment, or a clear refusal before anything runs. */
  public static PseudonymKey requireKey(Map<String, String> environment, Period period) {
    return PseudonymKey.fromEnvironment(environment).orElseThrow(() -> new IllegalStateException("Cannot publish period " + period
        + ": the analyst tables need a pseudonym key and " + PseudonymKey.ENVIRONMENT_VARIABLE + " is not set. Set it to a secret "
        + "of at least 32 bytes kept outside the repository (e.g. export " + PseudonymKey.ENVIRONMENT_VARIABLE
        + "=$(openssl rand -hex 32)), and keep it: another key gives other pseudonyms"));
  }

  /** Publishes a period and prints the manifest and what the program tables' merge changed; the demo and the pipeline call this. */
  public static PublishPeriod.Result runAndReport(JobContext context, Period period, PseudonymKey key) {
    PublishPeriod.Result result = context.progress().step("publish period " + period,
        () -> PublishPeriod.in(context.spark(), context.lakehouse()).period(period).rules(context.settings().programs())
            .pseudonymKey(key).progress(context.progress()).execute());
    context.out().printf("  pseudonyms: HMAC-SHA-256 under the key from %s%n", key.origin());
    result.merges().forEach((table, merged) -> context.out().printf("  %-28s %,9d added %,9d changed %,9d removed  (version %d)%n",
        table, merged.inserted(), merged.updated(), merged.deleted(), merged.version()));
    context.out().printf("  publication manifest of %s (ops.%s), model %s:%n", period, PublishPeriod.MANIFEST_TABLE, result.model());
    for (PublishPeriod.ManifestEntry entry : result.manifest()) {
      context.out().printf("    %-9s %-36s version %4d %,12d rows%n", entry.role(), entry.table(), entry.version(), entry.rows());
    }
    return result;
  }
}
