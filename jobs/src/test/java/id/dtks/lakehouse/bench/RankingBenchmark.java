package id.dtks.lakehouse.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.bench.SparkJobTimes.Step;
import id.dtks.lakehouse.bench.SyntheticHouseholds.Input;
import id.dtks.lakehouse.config.DtksSettings.SparkSettings;
import id.dtks.lakehouse.rank.PopulationRanking;
import id.dtks.lakehouse.rank.PopulationRanking.LevelSummary;
import id.dtks.lakehouse.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three ways to compute the exact national population-weighted ranking, timed on the same input:
 * the project's {@link PopulationRanking}, the textbook Spark window (one running sum over every
 * household, in one partition), and DuckDB's window on one machine. Each reads the input parquet,
 * ranks, and writes (id_rt, persentil_nasional, desil_nasional) as parquet; a Spark join then checks
 * that the three outputs agree on every household.
 *
 * <p>The ranking (DOMAIN.md): households ordered by score ascending, ties broken by id; {@code cum}
 * the running sum of household sizes; {@code N} the people of all households;
 * {@code percentile = ceil(100 * cum / N)} and {@code desil = ceil(10 * cum / N)}, at least 1, in
 * integer arithmetic. Every method is given the same N (as the registry is given the national
 * population), so no timing includes computing it.
 *
 * <pre>
 * RankingBenchmark --dir DIR [--duckdb-memory 8GB] [--runs 1] HOUSEHOLDS...
 * </pre>
 * Run through scripts/bench-ranking. Writes DIR/report.md and DIR/results.csv and prints the report;
 * exits with 1 when the outputs disagree anywhere.
 */
public final class RankingBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger("dtks");
  private static final String PERCENTILE = "persentil_nasional";
  private static final String DESIL = "desil_nasional";
  /**
   * Households of the untimed warm-up run: enough rows for the JIT to compile every hot loop (at
   * 100,000 the first timed Spark method still paid for compilation: the same 10 M run took 4.7 s
   * cold and 4.1 s warm), seconds to run.
   */
  private static final long WARM_UP_HOUSEHOLDS = 1_000_000;

  /**
   * The contenders, in the order they run and are reported, and a floor: Spark reading the input
   * and writing the same three columns with no ranking at all, the least any Spark job with this
   * input and output can take. It runs last, on the warmest JVM, so it errs low.
   */
  enum Method {
    PROJECT("project (PopulationRanking)", "project", true),
    SPARK_WINDOW("Spark window (one partition)", "spark_window", true),
    DUCKDB("DuckDB window", "duckdb", true),
    SPARK_FLOOR("floor: Spark reads and writes, no ranking", "spark_floor", false);

    final String label;
    /** The output folder and the column suffix in the agreement check. */
    final String key;
    /** Whether the method ranks, so its output takes part in the agreement check. */
    final boolean ranks;

    Method(String label, String key, boolean ranks) {
      this.label = label;
      this.key = key;
      this.ranks = ranks;
    }

    static List<Method> ranking() {
      return Arrays.stream(values()).filter(method -> method.ranks).toList();
    }
  }

  record Options(Path benchDir, String duckdbMemoryLimit, int runs, List<Long> scales) {
    static Options parse(String[] args) {
      Path dir = null;
      String memory = "8GB";
      int runs = 1;
      List<Long> scales = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--dir" -> dir = Path.of(value(args, ++i, "--dir")).toAbsolutePath();
          case "--duckdb-memory" -> memory = value(args, ++i, "--duckdb-memory");
          case "--runs" -> runs = runs(value(args, ++i, "--runs"));
          default -> scales.add(scale(args[i]));
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("Cannot run the ranking benchmark: --dir DIR (the bench folder) is missing");
      }
      if (scales.isEmpty()) {
        throw new IllegalArgumentException("Cannot run the ranking benchmark: no scale given (households, e.g. 10000000)");
      }
      return new Options(dir, memory, runs, List.copyOf(scales));
    }

    private static int runs(String text) {
      if (!text.matches("[1-9][0-9]?")) {
        throw new IllegalArgumentException("Cannot read --runs '" + text + "': give the runs per method, 1 to 99");
      }
      return Integer.parseInt(text);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException("Cannot run the ranking benchmark: " + option + " needs a value");
      }
      return args[i];
    }

    private static long scale(String text) {
      String digits = text.replace("_", "").replace(",", "");
      if (!digits.matches("[0-9]{1,15}") || Long.parseLong(digits) < 1) {
        throw new IllegalArgumentException("Cannot read the scale '" + text + "': give a number of households, e.g. 70000000");
      }
      return Long.parseLong(digits);
    }
  }

  /** One method at one scale: its median run's seconds and CPU, and every run's seconds in the order they ran. */
  record Timing(Method method, double seconds, CpuMeter.Usage cpu, List<Double> runs) {}

  /** One run of one method; the project's runs also carry their level summaries and step times. */
  private record Run(double seconds, CpuMeter.Usage cpu, List<LevelSummary> levels, List<Step> steps) {}

  /** The three outputs joined on id_rt: rows in each, rows of the join, and the households where they do not agree. */
  record Agreement(long households, Map<Method, Long> rowsPerOutput, long joinedRows, long missingFromAnOutput,
      long differing, List<String> examples) {
    boolean passed() {
      return joinedRows == households && missingFromAnOutput == 0 && differing == 0
          && rowsPerOutput.values().stream().allMatch(rows -> rows == households);
    }
  }

  record ScaleResult(Input input, List<Timing> timings, List<LevelSummary> levels, List<Step> projectSteps,
      Agreement agreement, double wallSeconds) {
    double projectSeconds() {
      return timings.stream().filter(t -> t.method() == Method.PROJECT).findFirst().orElseThrow().seconds();
    }
  }

  private final SparkSession spark;
  private final SparkJobTimes jobTimes;
  private final Options options;
  private final int cores = Runtime.getRuntime().availableProcessors();

  private RankingBenchmark(SparkSession spark, Options options) {
    this.spark = spark;
    this.jobTimes = SparkJobTimes.listenTo(spark.sparkContext());
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Files.createDirectories(options.benchDir());
    SparkSession spark = session();
    boolean passed;
    try {
      passed = new RankingBenchmark(spark, options).run();
    } finally {
      spark.stop();
    }
    if (!passed) {
      System.err.println("bench-ranking: the three outputs disagree; see " + options.benchDir().resolve("report.md"));
      System.exit(1);
    }
  }

  private static SparkSession session() {
    int cores = Runtime.getRuntime().availableProcessors();
    // Two shuffle tasks per core (the agreement join is the only large shuffle), as conf/local.conf's 8 on 2 cores.
    int shufflePartitions = Math.min(16, Math.max(8, 2 * cores));
    SparkSession spark = SparkSessions.create(new SparkSettings(Optional.of("local[*]"), "dtks-ranking-benchmark", Map.of(
        "spark.sql.shuffle.partitions", String.valueOf(shufflePartitions),
        "spark.ui.enabled", "false",
        "spark.sql.session.timeZone", "UTC",
        "spark.driver.host", "127.0.0.1")));
    // The Spark-window contender gathers every household in one partition on purpose; Spark warns
    // about that on every plan it builds, several times per run.
    Configurator.setLevel("org.apache.spark.sql.execution.window.WindowExec", Level.ERROR);
    return spark;
  }

  private boolean run() throws IOException, SQLException {
    String started = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    double warmUpSeconds = warmUp();
    List<ScaleResult> results = new ArrayList<>();
    for (long households : options.scales()) {
      results.add(runScale(households));
    }
    String report = report(started, warmUpSeconds, results);
    Files.writeString(options.benchDir().resolve("report.md"), report);
    Files.writeString(options.benchDir().resolve("results.csv"), csv(started, results));
    System.out.println(report);
    return results.stream().allMatch(r -> r.agreement().passed());
  }

  /**
   * Every method once on a small input before anything is timed, so that the first JIT
   * compilations, Spark's first jobs and DuckDB's native library load do not land in one method's
   * time. Its agreement check also stops a broken build before the long runs.
   */
  private double warmUp() throws IOException, SQLException {
    long start = System.nanoTime();
    Path dir = options.benchDir().resolve("warmup");
    Input input = SyntheticHouseholds.prepare(spark, dir, WARM_UP_HOUSEHOLDS);
    LOG.info("warm-up on {} households (not timed)", thousands(input.households()));
    for (Method method : Method.values()) {
      BenchFiles.deleteRecursively(output(dir, method));
      rank(method, input, output(dir, method));
    }
    Agreement agreement = agreement(input, dir);
    if (!agreement.passed()) {
      throw new IllegalStateException("The warm-up outputs under " + dir + " disagree: " + agreement);
    }
    jobTimes.takeSteps();
    return (System.nanoTime() - start) / 1e9;
  }

  private ScaleResult runScale(long households) throws IOException, SQLException {
    long start = System.nanoTime();
    Path dir = options.benchDir().resolve(String.valueOf(households));
    LOG.info("{} households: preparing the input under {}", thousands(households), dir);
    Input input = SyntheticHouseholds.prepare(spark, dir, households);
    LOG.info("{} households, {} people: {}", thousands(input.households()), thousands(input.people()),
        input.generated() ? String.format(Locale.ROOT, "generated in %.1f s", input.generateSeconds()) : "reused");

    // The first method to read the input must not be the only one to pay for the disk: at 70 M
    // households the project, running first, spent 6.6 s instead of 2.2 s in its first pass.
    readEveryFile(input.parquet());
    // Round by round, every method once per round, so that drift on the machine touches them all alike.
    Map<Method, List<Run>> runs = new LinkedHashMap<>();
    for (int round = 1; round <= options.runs(); round++) {
      for (Method method : Method.values()) {
        Run run = timedRun(method, input, output(dir, method));
        runs.computeIfAbsent(method, m -> new ArrayList<>()).add(run);
        LOG.info("{} households: {} took {} s (run {} of {})", thousands(households), method.label,
            String.format(Locale.ROOT, "%.1f", run.seconds()), round, options.runs());
      }
    }
    List<Timing> timings = new ArrayList<>();
    Run projectMedian = null;
    for (Map.Entry<Method, List<Run>> entry : runs.entrySet()) {
      Run median = median(entry.getValue());
      timings.add(new Timing(entry.getKey(), median.seconds(), median.cpu(), entry.getValue().stream().map(Run::seconds).toList()));
      if (entry.getKey() == Method.PROJECT) {
        projectMedian = median;
      }
    }
    List<LevelSummary> levels = projectMedian.levels();
    List<Step> projectSteps = projectMedian.steps();
    LOG.info("project levels: {}", levels);
    Agreement agreement = agreement(input, dir);
    LOG.info("{} households: agreement {}", thousands(households), agreement.passed() ? "passed" : "FAILED: " + agreement);
    return new ScaleResult(input, timings, levels, projectSteps, agreement, (System.nanoTime() - start) / 1e9);
  }

  private Run timedRun(Method method, Input input, Path output) throws SQLException {
    BenchFiles.deleteRecursively(output);
    // Collect the previous method's garbage now, not inside the next one's timing.
    System.gc();
    jobTimes.takeSteps();
    LOG.info("{} households: {} ...", thousands(input.households()), method.label);
    CpuMeter cpu = CpuMeter.start();
    long start = System.nanoTime();
    List<LevelSummary> summaries = rank(method, input, output);
    double seconds = (System.nanoTime() - start) / 1e9;
    CpuMeter.Usage usage = cpu.stop();
    return new Run(seconds, usage, summaries, jobTimes.takeSteps());
  }

  /** Reads every file below {@code dir} once, so the input sits in the OS page cache for every method alike. */
  private static void readEveryFile(Path dir) throws IOException {
    long start = System.nanoTime();
    long bytes = 0;
    byte[] buffer = new byte[1 << 20];
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        try (var in = Files.newInputStream(file)) {
          for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            bytes += read;
          }
        }
      }
    }
    LOG.info("read the input once into the page cache: {} MB in {} s", bytes >> 20,
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
  }

  /** The run of median time (of an even count, the faster of the middle two). */
  private static Run median(List<Run> runs) {
    List<Run> sorted = runs.stream().sorted(Comparator.comparingDouble(Run::seconds)).toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** Runs one method: read the input, rank, write (id_rt, percentile, desil). Returns the project's level summaries. */
  private List<LevelSummary> rank(Method method, Input input, Path output) throws SQLException {
    return switch (method) {
      case PROJECT -> project(input, output);
      case SPARK_WINDOW -> {
        sparkWindow(input, output);
        yield List.of();
      }
      case DUCKDB -> {
        duckdb(input, output);
        yield List.of();
      }
      case SPARK_FLOOR -> {
        sparkFloor(input, output);
        yield List.of();
      }
    };
  }

  private List<LevelSummary> project(Input input, Path output) {
    describe("project: read the input");
    Dataset<Row> households = spark.read().parquet(input.parquet().toString());
    PopulationRanking.Result result = PopulationRanking.of(households).id("id_rt").score("skor").weight("jumlah_anggota")
        .national(PERCENTILE, DESIL, OptionalLong.of(input.people()))
        .execute();
    describe("project: label every household and write (a search over the cut points per row)");
    result.rows().select("id_rt", PERCENTILE, DESIL).write().mode(SaveMode.Overwrite).parquet(output.toString());
    describe(null);
    return result.levels();
  }

  /** The textbook query: Spark moves every household into one partition to sort it and run the sum. */
  private void sparkWindow(Input input, Path output) {
    describe("spark window: rank in one partition and write");
    Column cum = sum("jumlah_anggota").over(Window.orderBy("skor", "id_rt")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
    spark.read().parquet(input.parquet().toString())
        .select(col("id_rt"), cum.as("cum"))
        .select(col("id_rt"), expr(share("cum", 100, input.people(), "div")).as(PERCENTILE),
            expr(share("cum", 10, input.people(), "div")).as(DESIL))
        .write().mode(SaveMode.Overwrite).parquet(output.toString());
    describe(null);
  }

  /** Read and write the output's shape (id_rt and two integers) with nothing computed: the floor. */
  private void sparkFloor(Input input, Path output) {
    describe("floor: read and write, no ranking");
    Column size = col("jumlah_anggota").cast(DataTypes.IntegerType);
    spark.read().parquet(input.parquet().toString())
        .select(col("id_rt"), size.as(PERCENTILE), size.as(DESIL))
        .write().mode(SaveMode.Overwrite).parquet(output.toString());
    describe(null);
  }

  /**
   * The same query in DuckDB, in memory, on every core, spilling to the bench folder if the memory
   * limit is reached. DuckDB sums INTEGER into a 128-bit HUGEINT, and the ceil arithmetic on it
   * doubled DuckDB's time at 10 M households (3.7 s against 1.8 s on an idle machine), so the
   * running sum is cast to BIGINT, as Spark's sum already is (exact: a BIGINT holds any registry's people).
   */
  private void duckdb(Input input, Path output) throws SQLException {
    Path spill = options.benchDir().resolve("duckdb-tmp");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
      try {
        sql.execute("SET threads = " + cores);
        sql.execute("SET memory_limit = " + literal(options.duckdbMemoryLimit()));
      } catch (SQLException e) {
        throw new IllegalArgumentException("DuckDB rejected threads " + cores + " or memory_limit '"
            + options.duckdbMemoryLimit() + "' (DTKS_DUCKDB_MEMORY): " + e.getMessage(), e);
      }
      sql.execute("SET temp_directory = " + literal(spill.toString()));
      // Reading and writing parquet is built in; anything needing a download should fail, not fetch.
      sql.execute("SET autoinstall_known_extensions = false");
      sql.execute("SET autoload_known_extensions = false");
      createDirectories(output);
      sql.execute("""
          COPY (
            SELECT id_rt, %s AS %s, %s AS %s
            FROM (
              SELECT id_rt,
                CAST(sum(jumlah_anggota) OVER (ORDER BY skor, id_rt ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS cum
              FROM read_parquet(%s)
            )
          ) TO %s (FORMAT parquet)"""
          .formatted(share("cum", 100, input.people(), "//"), PERCENTILE, share("cum", 10, input.people(), "//"), DESIL,
              literal(input.parquet().resolve("*.parquet").toString()), literal(output.resolve("duckdb.parquet").toString())));
    }
  }

  /**
   * {@code ceil(parts * cum / N)}, at least 1, in integer arithmetic; {@code div} is the engine's
   * integer division. {@code parts * cum + N - 1} stays below 101 N, far inside a BIGINT.
   */
  private static String share(String cum, int parts, long population, String div) {
    return "cast(greatest(1, (" + parts + " * " + cum + " + " + (population - 1) + ") " + div + " " + population + ") as integer)";
  }

  /**
   * Joins the three outputs on id_rt (full outer, so a household missing from one output shows) and
   * counts the households whose percentile or desil differ between any two.
   */
  private Agreement agreement(Input input, Path dir) {
    describe("agreement check");
    Map<Method, Long> rowsPerOutput = new LinkedHashMap<>();
    Dataset<Row> joined = null;
    for (Method method : Method.ranking()) {
      Dataset<Row> rows = spark.read().parquet(output(dir, method).toString());
      rowsPerOutput.put(method, rows.count());
      Dataset<Row> side = rows.select(col("id_rt"), col(PERCENTILE).as("p_" + method.key), col(DESIL).as("d_" + method.key),
          lit(true).as("in_" + method.key));
      joined = joined == null ? side : joined.join(side, new String[] {"id_rt"}, "full_outer");
    }
    Column missing = lit(false);
    Column differs = lit(false);
    for (Method method : Method.ranking()) {
      missing = missing.or(col("in_" + method.key).isNull());
      if (method != Method.PROJECT) {
        differs = differs.or(col("p_" + method.key).notEqual(col("p_project")))
            .or(col("d_" + method.key).notEqual(col("d_project")));
      }
    }
    // A missing side leaves its columns null, so "differs" is only read where every output has the household.
    Row counts = joined.agg(count(lit(1)), sum(when(missing, 1).otherwise(0)),
        sum(when(missing.unary_$bang().and(differs), 1).otherwise(0))).first();
    long missingRows = nullToZero(counts, 1);
    long differing = nullToZero(counts, 2);
    List<String> examples = missingRows + differing == 0 ? List.of()
        : joined.where(missing.or(differs)).orderBy("id_rt").limit(5).collectAsList().stream().map(Row::toString).toList();
    describe(null);
    return new Agreement(input.households(), rowsPerOutput, counts.getLong(0), missingRows, differing, examples);
  }

  private static long nullToZero(Row row, int i) {
    return row.isNullAt(i) ? 0 : row.getLong(i);
  }

  private String report(String started, double warmUpSeconds, List<ScaleResult> results) {
    StringBuilder md = new StringBuilder("# Exact national ranking: project vs Spark window vs DuckDB\n\n");
    long gib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() >> 30;
    md.append(String.format(Locale.ROOT, "%d cores, %d GiB, java %s, %s%n%n", cores, gib, System.getProperty("java.runtime.version"), started));
    md.append(String.format(Locale.ROOT, "Spark %s (local[*], JVM heap %s, %s shuffle partitions), DuckDB %s "
            + "(in memory, threads %d, memory_limit %s).%n%n", spark.version(), heap(),
        spark.conf().get("spark.sql.shuffle.partitions"), duckdbVersion(), cores, options.duckdbMemoryLimit()));
    md.append("Each method reads the same input parquet, ranks every household (score ascending, ties by id; "
        + "percentile = ceil(100·cum/N), desil = ceil(10·cum/N)) and writes (id_rt, percentile, desil) as parquet; "
        + "seconds cover read + compute + write. Every method is given the same N. "
        + "The floor reads the input and writes the same three columns with no ranking (the least a Spark job with this input "
        + "and output takes); it runs last and takes no part in the agreement check. Before the first timed run at a scale, "
        + "every input file is read once, so that no method pays alone for reading it from disk. "
        + String.format(Locale.ROOT, "Before timing, every method ran once on %s households (%.1f s, not counted) so that the "
            + "first JIT compilations, Spark's first jobs and DuckDB's native library load do not land in one method's time; "
            + "each method's first timed run is still its first at that scale. %s%n%n",
        thousands(WARM_UP_HOUSEHOLDS), warmUpSeconds, options.runs() == 1 ? "One run per method, in the order of the table."
            : "Each method ran " + options.runs() + " times, round by round in the order of the table; the table gives the "
                + "median run (seconds, CPU, the project's steps) and every run's seconds."));
    md.append("*vs project*: the method's time divided by the project's (above 1: slower than the project).\n");
    for (ScaleResult result : results) {
      Input input = result.input();
      md.append(String.format(Locale.ROOT, "%n## %s households (%s people)%n%n", thousands(input.households()),
          thousands(input.people())));
      boolean repeated = options.runs() > 1;
      md.append(repeated ? "| method | seconds (median) | households/s | vs project | runs (s) |\n|---|---:|---:|---:|---|\n"
          : "| method | seconds | households/s | vs project |\n|---|---:|---:|---:|\n");
      for (Timing timing : result.timings()) {
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %.2f× |", timing.method().label, timing.seconds(),
            thousands(Math.round(input.households() / timing.seconds())), timing.seconds() / result.projectSeconds()));
        if (repeated) {
          md.append(' ').append(String.join(", ", timing.runs().stream()
              .map(run -> String.format(Locale.ROOT, "%.1f", run)).toList())).append(" |");
        }
        md.append('\n');
      }
      md.append('\n').append(floorLine(result)).append("\n\n");
      md.append(cpuLine(result.timings())).append("\n\n");
      md.append(agreementLine(result.agreement())).append("\n\n");
      for (LevelSummary level : result.levels()) {
        md.append(String.format(Locale.ROOT, "The project's exact step looked at %s of %s households (%.2f%%) in the cut bins "
                + "of its %s-bin histogram (level %s, N = %s).%n", thousands(level.householdsInCutBins()),
            thousands(level.households()), 100.0 * level.householdsInCutBins() / level.households(), thousands(level.bins()),
            level.name(), thousands(level.population())));
      }
      md.append("\nThe project's time by step (Spark jobs grouped by their description):\n\n| step | jobs | seconds |\n|---|---:|---:|\n");
      double inJobs = 0;
      for (Step step : result.projectSteps()) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.1f |%n", step.description(), step.jobs(), step.seconds()));
        inJobs += step.seconds();
      }
      md.append(String.format(Locale.ROOT, "| driver, outside any job (planning, cut placement, broadcasts) | | %.1f |%n",
          result.projectSeconds() - inJobs));
      md.append(String.format(Locale.ROOT, "%nInput %s; this scale took %.0f s in all (input, every method, agreement check).%n",
          input.generated() ? String.format(Locale.ROOT, "generated in %.0f s", input.generateSeconds()) : "reused from an earlier run",
          result.wallSeconds()));
    }
    return md.toString();
  }

  /** How far each method is above what Spark needs just to read the input and write the output. */
  private static String floorLine(ScaleResult result) {
    double floor = result.timings().stream().filter(t -> t.method() == Method.SPARK_FLOOR).findFirst().orElseThrow().seconds();
    List<String> above = new ArrayList<>();
    for (Timing timing : result.timings()) {
      if (timing.method().ranks) {
        above.add(String.format(Locale.ROOT, "%s %+.1f s (%.2f× the floor)", timing.method().key, timing.seconds() - floor,
            timing.seconds() / floor));
      }
    }
    return String.format(Locale.ROOT, "Above the Spark floor of %.1f s: %s.", floor, String.join(", ", above));
  }

  /** CPU seconds per method: the method's own, and what else ran on the machine meanwhile (noise in its time). */
  private String cpuLine(List<Timing> timings) {
    List<String> own = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (Timing timing : timings) {
      own.add(String.format(Locale.ROOT, "%s %.1f", timing.method().key, timing.cpu().ownSeconds()));
      others.add(String.format(Locale.ROOT, "%s %.1f", timing.method().key, timing.cpu().otherSeconds()));
    }
    return String.format(Locale.ROOT, "CPU seconds used by the method (all threads; at most %d per second of its time): %s. "
        + "CPU seconds used by other processes meanwhile (above a few tenths, the machine was shared and the time is high): %s.",
        cores, String.join(", ", own), String.join(", ", others));
  }

  private static String agreementLine(Agreement agreement) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "Agreement (%s): %s households in the input; rows per output %s; %s rows after the full join on id_rt; "
            + "%s households missing from an output; %s with a different percentile or desil.",
        agreement.passed() ? "passed" : "**FAILED**", thousands(agreement.households()), rowsPerOutputText(agreement),
        thousands(agreement.joinedRows()), thousands(agreement.missingFromAnOutput()), thousands(agreement.differing())));
    if (!agreement.examples().isEmpty()) {
      line.append(" First disagreements (id_rt, then percentile, desil, present per method): ")
          .append(String.join("; ", agreement.examples())).append('.');
    }
    return line.toString();
  }

  private static String rowsPerOutputText(Agreement agreement) {
    List<String> parts = new ArrayList<>();
    agreement.rowsPerOutput().forEach((method, rows) -> parts.add(method.key + " " + thousands(rows)));
    return String.join(", ", parts);
  }

  private static String csv(String started, List<ScaleResult> results) {
    StringBuilder csv = new StringBuilder(
        "started,households,people,method,seconds,households_per_second,time_vs_project,cpu_seconds,other_cpu_seconds,agreement,"
            + "run_seconds\n");
    for (ScaleResult result : results) {
      for (Timing timing : result.timings()) {
        csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%.3f,%d,%.3f,%.2f,%.2f,%s,%s%n", started, result.input().households(),
            result.input().people(), timing.method().key, timing.seconds(), Math.round(result.input().households() / timing.seconds()),
            timing.seconds() / result.projectSeconds(), timing.cpu().ownSeconds(), timing.cpu().otherSeconds(),
            result.agreement().passed() ? "passed" : "failed",
            String.join(" ", timing.runs().stream().map(run -> String.format(Locale.ROOT, "%.3f", run)).toList())));
      }
    }
    return csv.toString();
  }

  private static String duckdbVersion() {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement();
        ResultSet version = sql.executeQuery("SELECT version()")) {
      version.next();
      return version.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot ask DuckDB for its version: " + e.getMessage(), e);
    }
  }

  /** The -Xmx the JVM was started with: Runtime.maxMemory() leaves out a survivor space and reads lower. */
  private static String heap() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(argument -> argument.startsWith("-Xmx")).reduce((first, last) -> last).map(argument -> argument.substring(4))
        .orElse((Runtime.getRuntime().maxMemory() >> 20) + " MiB");
  }

  private void describe(String description) {
    spark.sparkContext().setJobDescription(description);
  }

  private static Path output(Path scaleDir, Method method) {
    return scaleDir.resolve("out").resolve(method.key);
  }

  /** A SQL string literal for DuckDB. */
  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir, e);
    }
  }

  private static String thousands(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
