package id.dtks.lakehouse.bench;

import id.dtks.lakehouse.bench.PipelineBenchmark.StepResult;
import id.dtks.lakehouse.bench.PipelineBenchmark.TableFiles;
import id.dtks.lakehouse.lakehouse.Period;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The pipeline benchmark's report (markdown), its raw numbers (CSV) and the scaling over several scales. */
final class PipelineReport {
  /** The row of the CSV and the report that sums the pipeline's steps (the floor and the input left out). */
  static final String PIPELINE = "pipeline (ingest to prelist)";
  static final String FLOOR = "floor: copy raw parquet to Delta";
  private static final String CSV_HEADER = "started,households,step,seconds,ratio_to_floor,rows_read,rows_written,"
      + "rows_read_per_second,cpu_seconds,other_cpu_seconds,tasks,bytes_read,bytes_written,shuffle_bytes_written,"
      + "bytes_spilled_to_disk,peak_heap_bytes,peak_heap_after_gc_bytes,lowest_free_disk_bytes,lakehouse_bytes_after,session";

  /** Everything one run measured. */
  record Run(String started, long households, Period period, String settings, String version, Map<String, String> machine,
      Optional<StepResult> generated, List<StepResult> steps, List<TableFiles> tables) {}

  private PipelineReport() {}

  static String markdown(Run run) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "# Pipeline benchmark: %,d households, period %s%n%n", run.households(), run.period()));
    out.append(String.format(Locale.ROOT, "Started %s; DTKS Lakehouse %s on the embedded default (settings %s).%n%n",
        run.started(), run.version(), run.settings()));
    out.append("Machine: ");
    out.append(String.join(", ", run.machine().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
    out.append(".\n\n");
    out.append(run.generated().map(g -> String.format(Locale.ROOT,
            "Input: generated for this run in %.1f s (%,d rows written, %s); not part of the pipeline's time.%n%n",
            g.seconds(), g.tasks().rowsWritten(), megabytes(g.tasks().bytesWritten())))
        .orElse("Input: the raw exports of an earlier run at this scale, reused (the generator is deterministic).\n\n"));
    out.append(sessions(run.steps()));

    StepResult floor = floor(run.steps());
    List<StepResult> pipeline = pipelineSteps(run.steps());
    double pipelineSeconds = pipeline.stream().mapToDouble(StepResult::seconds).sum();
    out.append("## Steps\n\n");
    out.append("Each step runs as its job does, one after the other in one JVM. Rows and bytes are Spark's task metrics: "
        + "rows read by every scan of the step (a table read twice counts twice; Delta log reads included) and rows written "
        + "to table files. × floor is the step's time over the floor's: copying the period's raw parquet into Delta "
        + "unchanged (every export read once, written once, nothing checked), timed after the pipeline on the same warm "
        + "JVM. CPU is this JVM's; other CPU is what the "
        + "rest of the machine used meanwhile (noise). Heap after GC is the most the heap held right after a "
        + "collection.\n\n");
    out.append("| step | seconds | × floor | rows read | rows written | rows read/s | CPU s | other CPU s | peak heap | "
        + "heap after GC | data written | shuffle written | spilled | lakehouse after | lowest free disk |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    out.append(stepRow(floor, floor));
    for (StepResult step : pipeline) {
      out.append(stepRow(step, floor));
    }
    out.append(String.format(Locale.ROOT, "| **%s** | **%.1f** | **%.1f** | %,d | %,d | %,d | %.1f | | | | %s | %s | %s | | |%n",
        PIPELINE, pipelineSeconds, pipelineSeconds / floor.seconds(),
        pipeline.stream().mapToLong(s -> s.tasks().rowsRead()).sum(),
        pipeline.stream().mapToLong(s -> s.tasks().rowsWritten()).sum(),
        perSecond(pipeline.stream().mapToLong(s -> s.tasks().rowsRead()).sum(), pipelineSeconds),
        pipeline.stream().mapToDouble(StepResult::cpuSeconds).sum(),
        megabytes(pipeline.stream().mapToLong(s -> s.tasks().bytesWritten()).sum()),
        megabytes(pipeline.stream().mapToLong(s -> s.tasks().shuffleBytesWritten()).sum()),
        megabytes(pipeline.stream().mapToLong(s -> s.tasks().bytesSpilledToDisk()).sum())));
    pipeline.stream().max(Comparator.comparingDouble(StepResult::seconds)).ifPresent(slowest -> out.append(String.format(
        Locale.ROOT, "%nFurthest from the floor: **%s**, %.1f × the floor's time.%n", slowest.step(), slowest.seconds() / floor.seconds())));

    out.append("\n## Where each step's time goes\n\n");
    out.append("Spark jobs grouped by the description the job's code set (what the Spark UI shows), longest first, up to six "
        + "per step; seconds run from the group's first job's start to its last job's end. Delta's own jobs (log replay, file "
        + "filtering) and jobs without a description are left out; with driver work between jobs (commits, planning) they "
        + "make the rest of a step's time.\n\n");
    out.append("| step | part | Spark jobs | seconds |\n|---|---|---:|---:|\n");
    for (StepResult step : run.steps()) {
      step.parts().stream().filter(part -> !part.description().startsWith("Delta: ") && !part.description().startsWith("("))
          .sorted(Comparator.comparingDouble(SparkJobTimes.Step::seconds).reversed()).limit(6)
          .forEach(part -> out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f |%n", step.step(),
              part.description().replace("|", "/"), part.jobs(), part.seconds())));
    }

    out.append("\n## Delta tables and their files\n\n");
    out.append("The current version's files (older versions keep theirs until VACUUM). Tables are partitioned by period at "
        + "most, never by region; \"clustered by\" names the columns each period's rows are range-partitioned by when written, "
        + "so that every file holds a narrow range of them and a reader of one province or district skips the other files.\n\n");
    out.append("| table | files | size | mean file | partitioned by | clustered by |\n|---|---:|---:|---:|---|---|\n");
    for (TableFiles table : run.tables()) {
      out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.1f MB | %s | %s |%n", table.table(), table.files(),
          megabytes(table.bytes()), table.meanFileMegabytes(), String.join(", ", table.partitionColumns()),
          String.join(", ", table.clusteringColumns())));
    }
    return out.toString();
  }

  /** For a run resumed with --resume: which steps each JVM ran (empty for a run in one go). */
  static String sessions(List<StepResult> steps) {
    Map<Integer, List<String>> bySession = new TreeMap<>();
    steps.forEach(step -> bySession.computeIfAbsent(step.session(), s -> new ArrayList<>()).add(step.step()));
    if (bySession.size() < 2) {
      return "";
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "Resumed: the run took %d sessions (JVMs), each going on with `scripts/bench --resume` from the first step not done, "
            + "on the lakehouse as the last one left it; a step cut off half-way ran again whole. Each session's first step "
            + "started on a cold JVM.", bySession.size()));
    bySession.forEach((session, names) -> out.append(String.format(Locale.ROOT, " Session %d: %s.", session, String.join(", ", names))));
    return out.append("\n\n").toString();
  }

  private static String stepRow(StepResult step, StepResult floor) {
    return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %,d | %,d | %,d | %.1f | %.1f | %s | %s | %s | %s | %s | %s | %s |%n",
        step.step(), step.seconds(), step.seconds() / floor.seconds(), step.tasks().rowsRead(), step.tasks().rowsWritten(),
        perSecond(step.tasks().rowsRead(), step.seconds()), step.cpuSeconds(), step.otherCpuSeconds(),
        gibibytes(step.peaks().heapUsed()), gibibytes(step.peaks().heapLiveAfterGc()), megabytes(step.tasks().bytesWritten()),
        megabytes(step.tasks().shuffleBytesWritten()), megabytes(step.tasks().bytesSpilledToDisk()),
        gigabytes(step.lakehouseBytes()), gigabytes(step.peaks().lowestFreeDisk()));
  }

  static String csv(String started, long households, List<StepResult> steps) {
    StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
    StepResult floor = floor(steps);
    for (StepResult step : steps) {
      out.append(csvRow(started, households, step.step(), step.seconds(), floor.seconds(), step));
    }
    List<StepResult> pipeline = pipelineSteps(steps);
    double seconds = pipeline.stream().mapToDouble(StepResult::seconds).sum();
    out.append(String.format(Locale.ROOT, "%s,%d,\"%s\",%.2f,%.3f,%d,%d,%d,%.1f,%.1f,%d,%d,%d,%d,%d,,,,,%n", started, households,
        PIPELINE, seconds, seconds / floor.seconds(), pipeline.stream().mapToLong(s -> s.tasks().rowsRead()).sum(),
        pipeline.stream().mapToLong(s -> s.tasks().rowsWritten()).sum(),
        perSecond(pipeline.stream().mapToLong(s -> s.tasks().rowsRead()).sum(), seconds),
        pipeline.stream().mapToDouble(StepResult::cpuSeconds).sum(), pipeline.stream().mapToDouble(StepResult::otherCpuSeconds).sum(),
        pipeline.stream().mapToLong(s -> s.tasks().tasks()).sum(), pipeline.stream().mapToLong(s -> s.tasks().bytesRead()).sum(),
        pipeline.stream().mapToLong(s -> s.tasks().bytesWritten()).sum(),
        pipeline.stream().mapToLong(s -> s.tasks().shuffleBytesWritten()).sum(),
        pipeline.stream().mapToLong(s -> s.tasks().bytesSpilledToDisk()).sum()));
    return out.toString();
  }

  private static String csvRow(String started, long households, String name, double seconds, double floorSeconds, StepResult step) {
    return String.format(Locale.ROOT, "%s,%d,\"%s\",%.2f,%.3f,%d,%d,%d,%.1f,%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n", started, households,
        name, seconds, seconds / floorSeconds, step.tasks().rowsRead(), step.tasks().rowsWritten(),
        perSecond(step.tasks().rowsRead(), seconds), step.cpuSeconds(), step.otherCpuSeconds(), step.tasks().tasks(),
        step.tasks().bytesRead(), step.tasks().bytesWritten(), step.tasks().shuffleBytesWritten(), step.tasks().bytesSpilledToDisk(),
        step.peaks().heapUsed(), step.peaks().heapLiveAfterGc(), step.peaks().lowestFreeDisk(), step.lakehouseBytes(),
        step.session());
  }

  /** Seconds per step and scale, read back from every {@code <scale>/results.csv} under {@code benchDir}. */
  static Map<String, Map<Long, Double>> readResults(Path benchDir) {
    Map<String, Map<Long, Double>> secondsByStep = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(benchDir)) {
      files = list.map(p -> p.resolve("results.csv")).filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the scales measured in " + benchDir, e);
    }
    for (Path file : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
      for (String line : lines.subList(1, lines.size())) {
        // started,households,"step",seconds,...: the step is the one quoted field, and holds no quote.
        int open = line.indexOf('"');
        int close = line.indexOf('"', open + 1);
        String[] head = line.substring(0, open).split(",");
        String step = line.substring(open + 1, close);
        double seconds = Double.parseDouble(line.substring(close + 2).split(",")[0]);
        secondsByStep.computeIfAbsent(step, s -> new TreeMap<>()).put(Long.parseLong(head[1]), seconds);
      }
    }
    return secondsByStep;
  }

  /**
   * Seconds per step at every scale measured, and the exponent {@code b} of {@code seconds ~ households^b}
   * fitted by least squares on the logarithms: 1 is linear, under 1 means fixed costs still weigh.
   */
  static String scaling(Map<String, Map<Long, Double>> secondsByStep) {
    List<Long> scales = secondsByStep.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
    StringBuilder out = new StringBuilder("# Pipeline benchmark: scaling\n\n");
    out.append("Seconds per step at each scale measured (scripts/bench), and the exponent b of seconds ~ households^b, a "
        + "least-squares fit on the logarithms over the scales a step has (1 is linear; under 1, fixed costs still weigh).\n\n");
    out.append("| step |");
    scales.forEach(s -> out.append(String.format(Locale.ROOT, " %,d |", s)));
    out.append(" exponent |\n|---|");
    scales.forEach(s -> out.append("---:|"));
    out.append("---:|\n");
    for (Map.Entry<String, Map<Long, Double>> step : secondsByStep.entrySet()) {
      out.append("| ").append(step.getKey()).append(" |");
      for (long scale : scales) {
        Double seconds = step.getValue().get(scale);
        out.append(seconds == null ? " |" : String.format(Locale.ROOT, " %.1f |", seconds));
      }
      out.append(step.getValue().size() < 2 ? " |" : String.format(Locale.ROOT, " %.2f |", exponent(step.getValue())));
      out.append('\n');
    }
    return out.toString();
  }

  /** The slope of ln(seconds) against ln(households). */
  static double exponent(Map<Long, Double> secondsByScale) {
    List<double[]> points = new ArrayList<>();
    secondsByScale.forEach((scale, seconds) -> points.add(new double[] {Math.log(scale), Math.log(seconds)}));
    double meanX = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double meanY = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double covariance = points.stream().mapToDouble(p -> (p[0] - meanX) * (p[1] - meanY)).sum();
    double variance = points.stream().mapToDouble(p -> (p[0] - meanX) * (p[0] - meanX)).sum();
    return covariance / variance;
  }

  private static StepResult floor(List<StepResult> steps) {
    return steps.stream().filter(s -> s.step().equals(FLOOR)).findFirst()
        .orElseThrow(() -> new IllegalStateException("Cannot report the pipeline benchmark: the floor was not measured"));
  }

  private static List<StepResult> pipelineSteps(List<StepResult> steps) {
    return steps.stream().filter(s -> !s.step().equals(FLOOR)).toList();
  }

  private static long perSecond(long rows, double seconds) {
    return seconds <= 0 ? 0 : Math.round(rows / seconds);
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6);
  }

  private static String gigabytes(long bytes) {
    return bytes == Long.MAX_VALUE ? "" : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }

  private static String gibibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / Math.pow(1024, 3));
  }
}
