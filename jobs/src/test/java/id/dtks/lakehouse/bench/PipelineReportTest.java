package id.dtks.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import id.dtks.lakehouse.bench.PipelineBenchmark.StepResult;
import id.dtks.lakehouse.bench.PipelineBenchmark.TableFiles;
import id.dtks.lakehouse.bench.ResourcePeaks.Peaks;
import id.dtks.lakehouse.bench.TaskTotals.Totals;
import id.dtks.lakehouse.lakehouse.Period;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineReportTest {
  @Test
  void exponentIsTheSlopeOfTheLogarithms() {
    assertThat(PipelineReport.exponent(Map.of(1_000_000L, 10.0, 10_000_000L, 100.0))).isCloseTo(1.0, within(1e-9));
    assertThat(PipelineReport.exponent(Map.of(1_000_000L, 10.0, 10_000_000L, 10.0, 100_000_000L, 10.0))).isCloseTo(0.0, within(1e-9));
    // Twice the households, four times the time: quadratic.
    assertThat(PipelineReport.exponent(Map.of(1_000L, 3.0, 2_000L, 12.0, 4_000L, 48.0))).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void reportGivesEachStepItsRatioToTheFloorAndNamesTheFurthest() {
    List<StepResult> steps = List.of(step(PipelineReport.FLOOR, 10.0, 1_000), step("ingest", 25.0, 1_000), step("conform", 40.0, 3_000));
    String report = PipelineReport.markdown(new PipelineReport.Run("2026-11-24T10:00Z", 1_000_000, Period.parse("2026-11"),
        "conf/local.conf", "0.1.0", Map.of("cores", "2"), Optional.empty(), steps,
        List.of(new TableFiles("gold.peringkat_rumah_tangga", 4, 400_000_000L, List.of("periode"), List.of()))));

    assertThat(report)
        .contains("# Pipeline benchmark: 1,000,000 households, period 2026-11")
        .contains("| ingest | 25.0 | 2.5 | 1,000 |")
        .contains("| conform | 40.0 | 4.0 | 3,000 |")
        .contains("| **" + PipelineReport.PIPELINE + "** | **65.0** | **6.5** | 4,000 |")
        .contains("Furthest from the floor: **conform**, 4.0 × the floor's time.")
        .contains("| gold.peringkat_rumah_tangga | 4 | 400 MB | 100.0 MB | periode |  |");
  }

  @Test
  void scalingReadsBackEveryScaleMeasured(@TempDir Path benchDir) throws Exception {
    for (long households : List.of(1_000_000L, 10_000_000L)) {
      double factor = households / 1_000_000.0;
      List<StepResult> steps = List.of(step(PipelineReport.FLOOR, 10.0 * factor, 1), step("rank", 20.0 * factor, 1),
          step("coverage", 30.0 * Math.sqrt(factor), 1));
      Path scale = Files.createDirectories(benchDir.resolve(String.valueOf(households)));
      Files.writeString(scale.resolve("results.csv"), PipelineReport.csv("2026-11-24T10:00Z", households, steps));
    }

    Map<String, Map<Long, Double>> seconds = PipelineReport.readResults(benchDir);
    assertThat(seconds.get("rank")).containsEntry(1_000_000L, 20.0).containsEntry(10_000_000L, 200.0);
    assertThat(seconds.get(PipelineReport.PIPELINE)).containsEntry(1_000_000L, 50.0);
    assertThat(PipelineReport.scaling(seconds))
        .contains("| rank | 20.0 | 200.0 | 1.00 |")
        .contains("| coverage | 30.0 | 94.9 | 0.50 |")
        .contains("| " + PipelineReport.FLOOR + " | 10.0 | 100.0 | 1.00 |");
  }

  @Test
  void aResumedRunSaysWhichStepsEachSessionRan() {
    assertThat(PipelineReport.sessions(List.of(step("ingest", 1, 1), step("conform", 1, 1)))).isEmpty();

    String resumed = PipelineReport.sessions(List.of(step("ingest", 1, 1, 1), step("conform", 1, 1, 2), step("calibrate", 1, 1, 2),
        step(PipelineReport.FLOOR, 1, 1, 3)));
    assertThat(resumed).contains("took 3 sessions").contains("Session 1: ingest.").contains("Session 2: conform, calibrate.")
        .contains("Session 3: " + PipelineReport.FLOOR + ".");
    assertThat(PipelineReport.csv("2026-11-25T01:00Z", 10, List.of(step("ingest", 5, 1, 2), step(PipelineReport.FLOOR, 1, 1, 3))))
        .contains("\"ingest\",5.00,5.000,").containsPattern(",2\n.*floor.*,3\n");
  }

  @Test
  void theSavedRunStateReadsBackWhole() throws Exception {
    StepResult withParts = new StepResult("ingest", 12.5, 20, 0.5, new Totals(8, 100, 1000, 90, 2000, 30, 0),
        new Peaks(1L << 30, 1L << 29, 5L), 77, List.of(new SparkJobTimes.Step("bench: load rumah_tangga", 3, 1000, 4000)), 2);
    PipelineBenchmark.RunState state = new PipelineBenchmark.RunState("2026-11-25T01:00Z", 41_697_344, "2026-11",
        step("generate", 100, 1), List.of(withParts), "pmt-kalibrasi@3", 2);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(state);
    }
    assertThat(state.done("ingest")).contains(withParts);
    assertThat(state.done("conform")).isEmpty();
  }

  private static StepResult step(String name, double seconds, long rowsRead) {
    return step(name, seconds, rowsRead, 1);
  }

  private static StepResult step(String name, double seconds, long rowsRead, int session) {
    return new StepResult(name, seconds, seconds * 2, 0.1, new Totals(8, rowsRead, rowsRead * 10, rowsRead, rowsRead * 20, 0, 0),
        new Peaks(1L << 30, 1L << 29, 50_000_000_000L), 1_000_000_000L, List.of(), session);
  }
}
