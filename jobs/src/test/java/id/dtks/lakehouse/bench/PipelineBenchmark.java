package id.dtks.lakehouse.bench;

import id.dtks.lakehouse.bench.ResourcePeaks.Peaks;
import id.dtks.lakehouse.bench.TaskTotals.Totals;
import id.dtks.lakehouse.cli.BuildInfo;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.config.DtksSettings.RankSettings;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.conform.ConformCommand;
import id.dtks.lakehouse.coverage.CoverageCommand;
import id.dtks.lakehouse.generate.GenerateCommand;
import id.dtks.lakehouse.generate.RawExport;
import id.dtks.lakehouse.ingest.IngestCommand;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.prelist.PrelistCommand;
import id.dtks.lakehouse.publish.PseudonymKey;
import id.dtks.lakehouse.publish.PublishCommand;
import id.dtks.lakehouse.rank.CalibrateCommand;
import id.dtks.lakehouse.rank.CalibratePeriod;
import id.dtks.lakehouse.rank.RankCommand;
import id.dtks.lakehouse.reference.ReferenceCommand;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.SparkSessions;
import io.delta.tables.DeltaTable;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline of one period at one scale, on the embedded default, step by step: wall time,
 * rows read and written, rows per second, CPU, peak heap, data written, shuffle and spill, and
 * each step's ratio to a floor, copying the period's raw parquet into Delta unchanged (measured
 * after the steps, on a warm JVM). Then every
 * Delta table of the lakehouse with its files, so that file sizes are in the report too.
 *
 * <p>Each step runs exactly as its job does ({@code <Job>Command.runAndReport}, the code
 * {@code dtks pipeline} and {@code dtks demo} run), with the settings file the jobs use; the jobs'
 * own output goes to {@code pipeline.log}. The period is generated once per scale and kept; every
 * run starts from an empty lakehouse apart from the reference tables and the raw exports.
 *
 * <pre>
 * PipelineBenchmark --dir DIR [--config FILE] [--period YYYY-MM] [--resume]
 * </pre>
 * With {@code --resume} a run that was cut off goes on from the first step it had not finished,
 * on the lakehouse as that step left it; the report says which steps ran in which JVM.
 * The scale and the lakehouse come from the settings ({@code dtks.generator.households},
 * {@code dtks.lakehouse.root}); scripts/bench sets both. Writes DIR/report.md and DIR/results.csv,
 * and DIR/../scaling.md over every scale measured in DIR's parent folder.
 */
public final class PipelineBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger("dtks");
  private static final Period DEFAULT_PERIOD = new Period(YearMonth.of(2026, 11));
  /** The folder the floor's copies go to, beside the layers; deleted once measured. */
  private static final String FLOOR_FOLDER = "_floor";
  /** The run's progress, in the report's folder (see {@link RunState}). */
  private static final String STATE_FILE = "run-state.ser";
  /** Written beside a period's raw exports once they are complete: the scale and seed they were made with. */
  private static final String GENERATED_MARKER = "_bench_generated";

  /** One measured step; {@code session} counts the JVMs of a resumed run (1 for a run in one go). */
  record StepResult(String step, double seconds, double cpuSeconds, double otherCpuSeconds, Totals tasks, Peaks peaks,
      long lakehouseBytes, List<SparkJobTimes.Step> parts, int session) implements Serializable {}

  /**
   * What a run has measured so far, saved after every step to {@value #STATE_FILE}, so that
   * {@code --resume} can go on from the first step not done (a national run outlasts a working
   * session; every job is idempotent, so a step cut off half-way simply runs again).
   */
  record RunState(String started, long households, String period, StepResult input, List<StepResult> steps,
      String calibratedModel, int session) implements Serializable {
    /** The generation of the input, if this run made it (null in the record: Optional does not serialize). */
    Optional<StepResult> generated() {
      return Optional.ofNullable(input);
    }

    RunState with(StepResult step) {
      List<StepResult> done = new ArrayList<>(steps);
      done.add(step);
      return new RunState(started, households, period, input, List.copyOf(done), calibratedModel, session);
    }

    Optional<StepResult> done(String step) {
      return steps.stream().filter(s -> s.step().equals(step)).findFirst();
    }
  }

  /** One Delta table after the run. */
  record TableFiles(String table, long files, long bytes, List<String> partitionColumns, List<String> clusteringColumns) {
    double meanFileMegabytes() {
      return files == 0 ? 0 : bytes / 1e6 / files;
    }
  }

  private record Options(Path dir, Optional<File> config, Period period, boolean resume) {
    static Options parse(String[] args) {
      Path dir = null;
      Optional<File> config = Optional.empty();
      Period period = DEFAULT_PERIOD;
      boolean resume = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
          case "--config" -> config = Optional.of(new File(value(args, ++i, "--config")));
          case "--period" -> period = Period.parse(value(args, ++i, "--period"));
          case "--resume" -> resume = true;
          default -> throw new IllegalArgumentException("Cannot run the pipeline benchmark: unknown argument '" + args[i]
              + "'. Usage: PipelineBenchmark --dir DIR [--config FILE] [--period YYYY-MM] [--resume]");
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("Cannot run the pipeline benchmark: --dir DIR is required");
      }
      return new Options(dir, config, period, resume);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException("Cannot run the pipeline benchmark: " + option + " needs a value");
      }
      return args[i];
    }
  }

  private final JobContext context;
  private final Options options;
  private final Path lakehouseRoot;
  private final TaskTotals taskTotals;
  private final SparkJobTimes jobTimes;
  private final ResourcePeaks peaks;
  private RunState state;

  private PipelineBenchmark(JobContext context, Options options, Path lakehouseRoot) {
    this.context = context;
    this.options = options;
    this.lakehouseRoot = lakehouseRoot;
    this.taskTotals = TaskTotals.listenTo(context.spark().sparkContext());
    this.jobTimes = SparkJobTimes.listenTo(context.spark().sparkContext());
    this.peaks = ResourcePeaks.watch(lakehouseRoot);
  }

  public static void main(String[] args) throws IOException {
    Options options = Options.parse(args);
    SettingsLoader.Loaded loaded = SettingsLoader.load(options.config());
    DtksSettings settings = loaded.settings();
    Path lakehouseRoot = Path.of(settings.lakehouse().root()).toAbsolutePath();
    Files.createDirectories(lakehouseRoot);
    Files.createDirectories(options.dir());
    SparkSession spark = SparkSessions.create(settings.spark());
    try (PrintStream jobOutput = new PrintStream(Files.newOutputStream(options.dir().resolve("pipeline.log")), true,
        StandardCharsets.UTF_8)) {
      JobContext context = new JobContext(settings, spark, new Lakehouse(settings.lakehouse()), new Progress(spark, "bench"),
          jobOutput);
      PipelineBenchmark benchmark = new PipelineBenchmark(context, options, lakehouseRoot);
      try {
        benchmark.run(loaded.origin());
      } finally {
        benchmark.peaks.close();
      }
    } finally {
      spark.stop();
    }
  }

  private void run(String settingsOrigin) throws IOException {
    Period period = options.period();
    long households = context.settings().generator().households();
    state = startOrResume(period, households);

    step("ingest", () -> IngestCommand.runAndReport(context, period));
    step("conform", () -> ConformCommand.runAndReport(context, period));
    if (state.done("calibrate").isEmpty()) {
      CalibratePeriod.Result calibration = measure("calibrate", () -> CalibrateCommand.runAndReport(context, period));
      state = new RunState(state.started(), households, state.period(), state.input(), state.steps(), calibration.model().id(),
          state.session());
      save();
    }
    RankSettings rank = context.settings().rank();
    step("rank", () -> RankCommand.runAndReport(context, period,
        new RankSettings(state.calibratedModel(), rank.referencePopulation(), rank.histogramCellsPerLevel())));
    step("coverage", () -> CoverageCommand.runAndReport(context, period));
    PseudonymKey key = PseudonymKey.fromEnvironment(System.getenv()).orElseGet(PseudonymKey::demo);
    step("publish", () -> PublishCommand.runAndReport(context, period, key));
    step("prelist", () -> PrelistCommand.runAndReport(context, period));
    // Last, on a JVM the steps have warmed up: run first, the floor paid for the JIT's warm-up and
    // Delta's first commits (24.7 s against 16.5 s at 1 M households).
    step(PipelineReport.FLOOR, this::copyRawToDelta);

    List<TableFiles> tables = tableFiles();
    String report = PipelineReport.markdown(new PipelineReport.Run(state.started(), households, period, settingsOrigin,
        BuildInfo.version(), machine(), state.generated(), state.steps(), tables));
    Files.writeString(options.dir().resolve("report.md"), report);
    Files.writeString(options.dir().resolve("results.csv"), PipelineReport.csv(state.started(), households, state.steps()));
    Path parent = options.dir().toAbsolutePath().getParent();
    Files.writeString(parent.resolve("scaling.md"), PipelineReport.scaling(PipelineReport.readResults(parent)));
    System.out.println(report);
  }

  /**
   * A new run (input made or reused, outputs cleared), or with {@code --resume} the saved run of
   * this scale and period, which goes on in a new session.
   */
  private RunState startOrResume(Period period, long households) throws IOException {
    Path saved = options.dir().resolve(STATE_FILE);
    if (options.resume() && Files.exists(saved)) {
      RunState previous = readState(saved);
      if (previous.households() == households && previous.period().equals(period.toString())) {
        LOG.info("[bench] resuming the run started {}: done {}", previous.started(),
            previous.steps().stream().map(StepResult::step).toList());
        return new RunState(previous.started(), households, previous.period(), previous.input(), previous.steps(),
            previous.calibratedModel(), previous.session() + 1);
      }
      LOG.info("[bench] {} holds a run of {} households, period {}: starting anew", saved, previous.households(),
          previous.period());
    } else if (options.resume()) {
      LOG.info("[bench] nothing to resume in {}: starting anew", options.dir());
    }
    Files.deleteIfExists(saved);
    String started = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    state = new RunState(started, households, period.toString(), null, List.of(), null, 1);
    Optional<StepResult> generated = prepareInput(period, households);
    clearOutputs();
    state = new RunState(started, households, period.toString(), generated.orElse(null), List.of(), null, 1);
    save();
    return state;
  }

  /** Measures {@code step} unless the run being resumed has done it already. */
  private <T> void step(String step, Supplier<T> work) {
    if (state.done(step).isPresent()) {
      LOG.info("[bench] {}: done in session {}, skipped", step, state.done(step).get().session());
      return;
    }
    measure(step, work);
  }

  private void save() {
    Path saved = options.dir().resolve(STATE_FILE);
    Path written = options.dir().resolve(STATE_FILE + ".new");
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(written))) {
      out.writeObject(state);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the benchmark's progress to " + written, e);
    }
    try {
      // Replaced whole, so a run killed while saving leaves the last complete state.
      Files.move(written, saved, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the benchmark's progress to " + saved, e);
    }
  }

  private static RunState readState(Path saved) throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(saved))) {
      return (RunState) in.readObject();
    } catch (ClassNotFoundException | ClassCastException | java.io.InvalidClassException e) {
      throw new IOException("Cannot resume from " + saved + ": it was saved by another version of the benchmark ("
          + e.getMessage() + "). Run without --resume to start anew", e);
    }
  }

  /**
   * The reference tables and the period's raw exports at this scale, made once and kept: a run at the
   * same scale reuses them (the generator is deterministic, so they would come out the same).
   */
  private Optional<StepResult> prepareInput(Period period, long households) throws IOException {
    Path raw = Path.of(context.lakehouse().rawPeriod(period));
    Path marker = raw.resolve(GENERATED_MARKER);
    String made = "households=" + households + " seed=" + context.settings().generator().seed();
    boolean refLoaded = Files.isDirectory(Path.of(context.lakehouse().table(Layer.REF, "wilayah"), "_delta_log"));
    if (refLoaded && Files.exists(marker) && Files.readString(marker).strip().equals(made)) {
      LOG.info("[bench] reusing the raw exports of {} ({})", period, made);
      return Optional.empty();
    }
    if (!refLoaded) {
      ReferenceCommand.run(context);
    }
    StepResult generated = measured("generate (input, not part of the pipeline)",
        () -> GenerateCommand.run(context, period, context.settings().generator())).step();
    Files.writeString(marker, made + "\n");
    return Optional.of(generated);
  }

  /** Every layer a run writes, so each run starts from the reference tables and the raw exports alone. */
  private void clearOutputs() throws IOException {
    for (String folder : List.of(Layer.BRONZE.folder(), Layer.SILVER.folder(), Layer.GOLD.folder(), Layer.OPS.folder(), "export",
        FLOOR_FOLDER)) {
      BenchFiles.deleteRecursively(lakehouseRoot.resolve(folder));
    }
  }

  /**
   * The floor: each raw export read and written to a Delta table as it is, with nothing checked or
   * derived. Each copy is deleted once written (unlinking a few files, milliseconds): the floor runs
   * last, when the lakehouse is fullest, and at national scale the disk cannot hold another copy of
   * every export.
   */
  private Progress.RowCount copyRawToDelta() {
    long rows = 0;
    for (RawExport export : RawExport.values()) {
      Path target = lakehouseRoot.resolve(FLOOR_FOLDER).resolve(export.folder());
      rows += context.progress().step("copy raw." + export.folder() + " to Delta", () -> {
        long written = id.dtks.lakehouse.spark.Writes.replaceDelta(
            context.spark().read().parquet(context.lakehouse().rawTable(options.period(), export.folder())), target.toString());
        return new Progress.Counted<>(target, written);
      }).rows();
      BenchFiles.deleteRecursively(target);
    }
    long copied = rows;
    return () -> copied;
  }

  /** Measures {@code step} and saves it to the run's state; returns what the step returned. */
  private <T> T measure(String step, Supplier<T> work) {
    Measured<T> measured = measured(step, work);
    state = state.with(measured.step());
    save();
    return measured.result();
  }

  private record Measured<T>(StepResult step, T result) {}

  private <T> Measured<T> measured(String step, Supplier<T> work) {
    taskTotals.take();
    jobTimes.takeSteps();
    peaks.take();
    CpuMeter cpu = CpuMeter.start();
    long start = System.nanoTime();
    T result = work.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    CpuMeter.Usage usage = cpu.stop();
    StepResult measured = new StepResult(step, seconds, usage.ownSeconds(), usage.otherSeconds(), taskTotals.take(), peaks.take(),
        BenchFiles.bytes(lakehouseRoot), jobTimes.takeSteps(), state.session());
    LOG.info("[bench] {}: {} s", step, String.format(Locale.ROOT, "%.1f", seconds));
    return new Measured<>(measured, result);
  }

  /** Every Delta table under the lakehouse's layers, with its current files (not the files old versions keep). */
  private List<TableFiles> tableFiles() throws IOException {
    List<TableFiles> tables = new ArrayList<>();
    List<Path> logs;
    try (Stream<Path> walk = Files.walk(lakehouseRoot, 3)) {
      logs = walk.filter(p -> p.getFileName().toString().equals("_delta_log")).sorted().toList();
    }
    for (Path log : logs) {
      Path table = log.getParent();
      Row detail = DeltaTable.forPath(context.spark(), table.toString()).detail().first();
      tables.add(new TableFiles(lakehouseRoot.relativize(table).toString().replace('/', '.'),
          detail.<Long>getAs("numFiles"), detail.<Long>getAs("sizeInBytes"),
          detail.<String>getList(detail.fieldIndex("partitionColumns")),
          clustering(detail.getJavaMap(detail.fieldIndex("properties")))));
    }
    return tables;
  }

  /** The columns a table's periods are range-clustered by at write (CuratedTable.clusteredBy), if any. */
  private static List<String> clustering(Map<String, String> properties) {
    String columns = properties.get(id.dtks.lakehouse.spark.CuratedTable.CLUSTERED_BY_PROPERTY);
    return columns == null || columns.isEmpty() ? List.of() : List.of(columns.split(","));
  }

  private static Map<String, String> machine() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    machine.put("memory", memoryTotal());
    machine.put("JVM heap (-Xmx)", String.format(Locale.ROOT, "%.1f GiB", Runtime.getRuntime().maxMemory() / Math.pow(1024, 3)));
    machine.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("Spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    machine.put("Delta", String.valueOf(DeltaTable.class.getPackage().getImplementationVersion()));
    machine.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return machine;
  }

  private static String memoryTotal() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
          .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / Math.pow(1024, 2)))
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
