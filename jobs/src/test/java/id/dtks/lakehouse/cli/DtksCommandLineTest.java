package id.dtks.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line fails fast and clearly, before any Spark starts. */
class DtksCommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Dtks dtks = new Dtks(print(out), print(err), Dtks.allCommands());

  @Test
  void helpListsEveryJob() {
    assertThat(dtks.run("--help")).isEqualTo(Dtks.OK);

    assertThat(text(out))
        .contains("Usage: dtks <job> [options]")
        .containsPattern("(?m)^  demo +end to end on generated data")
        .containsPattern("(?m)^  reference +load regions")
        .containsPattern("(?m)^  generate +write a period of synthetic raw parquet exports")
        .containsPattern("(?m)^  ingest +load a period's raw exports into bronze Delta tables")
        .containsPattern("(?m)^  conform +merge a period's bronze tables into silver")
        .contains("--config FILE");
    assertThat(text(err)).isEmpty();
  }

  @Test
  void noArgumentsPrintsUsageAndFails() {
    assertThat(dtks.run()).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).contains("Usage: dtks <job> [options]");
  }

  @Test
  void eachJobHasItsOwnHelp() {
    assertThat(dtks.run("generate", "--help")).isEqualTo(Dtks.OK);

    assertThat(text(out))
        .startsWith("Usage: dtks generate --period YYYY-MM [--households N] [--seed N] [--config FILE]")
        .contains("--period YYYY-MM       reporting month (periode) to process, e.g. 2026-11 (required)")
        .contains("Needs the ref layer: run 'dtks reference' first.");
  }

  @Test
  void unknownJob() {
    assertThat(dtks.run("rank-everything")).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).isEqualTo(
        "dtks: unknown job 'rank-everything'. Jobs: demo, reference, generate, ingest, conform, calibrate, rank, coverage, publish, prelist, pipeline, changes. Run 'dtks --help' for what each does.\n");
  }

  @Test
  void unknownOption() {
    assertThat(dtks.run("generate", "--period", "2026-11", "--housholds", "10")).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).isEqualTo("""
        dtks generate: Unknown option '--housholds' for job 'generate'. Its options are: --period YYYY-MM, \
        --households N, --seed N, --config FILE, --help
        Run 'dtks generate --help' for its options.
        """);
  }

  @Test
  void publishingWithoutAPseudonymKeyStopsBeforeSparkStarts() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DTKS_PSEUDONYM_KEY") == null,
        "DTKS_PSEUDONYM_KEY is set in this environment");
    assertThat(dtks.run("publish", "--period", "2026-11")).isEqualTo(Dtks.USAGE);
    assertThat(text(err)).startsWith("dtks publish: Cannot publish period 2026-11: the analyst tables need a pseudonym key "
        + "and DTKS_PSEUDONYM_KEY is not set.");
    assertThat(dtks.run("pipeline", "--period", "2026-11")).isEqualTo(Dtks.USAGE);
    assertThat(dtks.run("changes", "--consumer", "bad name")).isEqualTo(Dtks.USAGE);
  }

  @Test
  void aModelThatIsNotNameAtVersionStopsTheRankBeforeSparkStarts() {
    assertThat(dtks.run("rank", "--period", "2026-11", "--model", "pmt-kalibrasi")).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).startsWith("dtks rank: Option '--model' must be NAME@VERSION (e.g. pmt-ilustratif@1, "
        + "pmt-kalibrasi@2026-11), not 'pmt-kalibrasi'\n");
  }

  @Test
  void missingPeriod() {
    assertThat(dtks.run("generate", "--households", "10")).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).startsWith(
        "dtks generate: Job 'generate' needs --period YYYY-MM: reporting month (periode) to process, e.g. 2026-11\n");
  }

  @Test
  void malformedPeriod() {
    assertThat(dtks.run("generate", "--period", "11-2026")).isEqualTo(Dtks.USAGE);
    assertThat(dtks.run("generate", "--period=2026-13")).isEqualTo(Dtks.USAGE);

    assertThat(text(err))
        .contains("dtks generate: Cannot read period '11-2026': expected a month as YYYY-MM, e.g. 2026-11\n")
        .contains("dtks generate: Cannot read period '2026-13': the month must be 01 to 12, e.g. 2026-11\n");
  }

  @Test
  void periodJobsNeedTheirPeriod() {
    assertThat(dtks.run("ingest")).isEqualTo(Dtks.USAGE);
    assertThat(dtks.run("conform", "--period", "2026")).isEqualTo(Dtks.USAGE);

    assertThat(text(err))
        .contains("dtks ingest: Job 'ingest' needs --period YYYY-MM: reporting month (periode) to process, e.g. 2026-11\n")
        .contains("dtks conform: Cannot read period '2026': expected a month as YYYY-MM, e.g. 2026-11\n");
  }

  @Test
  void optionWithoutItsValue() {
    assertThat(dtks.run("generate", "--period")).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).startsWith("dtks generate: Option '--period' of job 'generate' needs a value: --period YYYY-MM\n");
  }

  @Test
  void householdsMustBePositive() {
    assertThat(dtks.run("generate", "--period", "2026-11", "--households", "0")).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).startsWith("dtks generate: Option '--households' of job 'generate' must be at least 1, not 0\n");
  }

  @Test
  void settingsErrorsStopTheJobBeforeSparkStarts() {
    assertThat(dtks.run("reference", "--config", "/nonexistent/dtks.conf")).isEqualTo(Dtks.USAGE);

    assertThat(text(err)).isEqualTo("dtks reference: Cannot read settings file /nonexistent/dtks.conf: no such file. "
        + "Pass --config with an existing file, e.g. conf/local.conf\n");
  }

  private static PrintStream print(ByteArrayOutputStream buffer) {
    return new PrintStream(buffer, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream buffer) {
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
