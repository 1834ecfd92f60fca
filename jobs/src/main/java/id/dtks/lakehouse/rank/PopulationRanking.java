package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import id.dtks.lakehouse.rank.BinLayout.GroupStats;
import id.dtks.lakehouse.spark.ObjectCalls;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The exact population-weighted ranking of DOMAIN.md, nationally and within regions, in parallel.
 *
 * <p>Households are ordered by score ascending, ties broken by id; {@code cum} is the running sum of
 * household sizes and {@code N} the reference population; {@code percentile = ceil(100 * cum / N)}
 * and {@code desil = ceil(10 * cum / N)}, at least 1. Within a region (province, kabupaten/kota) the
 * same definition holds over the region's households, with {@code N} the people the region holds.
 *
 * <p>No step sorts the households or gathers them in one task. Every step is a scan or a small
 * aggregate (ENGINEERING.md, "exact deciles need no global sort"):
 * <ol>
 *   <li>statistics: households, people and score range per group, one aggregate;
 *   <li>histogram: people per score bin and group, summed in arrays inside each task;
 *   <li>cut points: on the driver, the bin holding each of the 99 cuts of every group; one scan then
 *       takes only the households of those bins (a few per cut) and finds the exact last household
 *       of each cut, grouped by bin;
 *   <li>labels: each household's percentile by binary search over its group's 99 cut points, a
 *       method call compiled into the write's row loop ({@link PercentileLabels}).
 * </ol>
 * Exact for any partitioning, bin count and executor count: bins only decide how many households
 * the cut-point step looks at.
 */
public final class PopulationRanking {
  /** The cell budget of one level: histogram arrays stay near 16 MB per task, whatever the data size. */
  static final int DEFAULT_CELLS_PER_LEVEL = 1 << 21;
  private static final long MIN_ROWS_PER_BIN = 4;

  private final Dataset<Row> households;
  private final String idColumn;
  private final String scoreColumn;
  private final String weightColumn;
  private final List<Level> levels;
  private final int cellsPerLevel;

  private PopulationRanking(Builder builder) {
    this.households = builder.households;
    this.idColumn = builder.idColumn;
    this.scoreColumn = builder.scoreColumn;
    this.weightColumn = builder.weightColumn;
    this.levels = List.copyOf(builder.levels);
    this.cellsPerLevel = builder.cellsPerLevel;
  }

  public static Builder of(Dataset<Row> households) {
    return new Builder(households);
  }

  /**
   * One ranking: over the whole input ({@code groupColumn} null) or within each value of a column.
   * {@code population} is N for an ungrouped level (empty: the weight total); groups always use
   * their own weight total. {@code decileColumn} may be null.
   */
  public record Level(String name, String groupColumn, OptionalLong population, String percentileColumn,
      String decileColumn) implements Serializable {
    public Level {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(population, "population");
      Objects.requireNonNull(percentileColumn, "percentileColumn");
      if (groupColumn != null && population.isPresent()) {
        throw new IllegalArgumentException("Cannot rank level " + name + ": a grouped level ranks over each group's own people, "
            + "a reference population applies only to an ungrouped level");
      }
      if (population.isPresent() && population.getAsLong() <= 0) {
        throw new IllegalArgumentException("Cannot rank level " + name + ": the reference population must be above 0, not "
            + population.getAsLong());
      }
    }
  }

  /** What one level ranked: groups, households and people, the N used, and how many households were looked at closely. */
  public record LevelSummary(String name, int groups, long households, long people, long population, int bins,
      long householdsInCutBins) {}

  /**
   * The households with their percentile columns added, a summary per level, and the Spark SQL
   * queries the ranking ran or will run (statistics, the key scan of the histogram and cut-point
   * passes, the labelled rows), for plan checks.
   */
  public record Result(Dataset<Row> rows, List<LevelSummary> levels, List<Dataset<Row>> queries) {}

  public static final class Builder {
    private final Dataset<Row> households;
    private String idColumn = "id_rt";
    private String scoreColumn = "skor";
    private String weightColumn = "jumlah_anggota";
    private final List<Level> levels = new ArrayList<>();
    private int cellsPerLevel = DEFAULT_CELLS_PER_LEVEL;

    private Builder(Dataset<Row> households) {
      this.households = Objects.requireNonNull(households, "households");
    }

    public Builder id(String column) {
      this.idColumn = column;
      return this;
    }

    public Builder score(String column) {
      this.scoreColumn = column;
      return this;
    }

    public Builder weight(String column) {
      this.weightColumn = column;
      return this;
    }

    /** The national order over {@code population} people (empty: the registry's own total). */
    public Builder national(String percentileColumn, String decileColumn, OptionalLong population) {
      levels.add(new Level("national", null, population, percentileColumn, decileColumn));
      return this;
    }

    /** A percentile within each value of {@code groupColumn} (a province or kabupaten/kota code). */
    public Builder within(String groupColumn, String percentileColumn) {
      levels.add(new Level(groupColumn, groupColumn, OptionalLong.empty(), percentileColumn, null));
      return this;
    }

    /** Histogram cells per level: more cells, fewer households in the cut bins, larger task arrays. */
    public Builder cellsPerLevel(int cells) {
      if (cells < 1) {
        throw new IllegalArgumentException("Cannot rank: cells per level must be at least 1, not " + cells);
      }
      this.cellsPerLevel = cells;
      return this;
    }

    public Result execute() {
      if (levels.isEmpty()) {
        throw new IllegalStateException("Cannot rank: no level given (national or within a region)");
      }
      List<String> columns = Arrays.asList(households.columns());
      for (String column : requiredColumns()) {
        if (!columns.contains(column)) {
          throw new IllegalArgumentException("Cannot rank: column '" + column + "' is missing; the households have " + columns);
        }
      }
      return new PopulationRanking(this).execute();
    }

    private List<String> requiredColumns() {
      List<String> required = new ArrayList<>(List.of(idColumn, scoreColumn, weightColumn));
      levels.stream().map(Level::groupColumn).filter(Objects::nonNull).forEach(required::add);
      return required;
    }
  }

  private Result execute() {
    SparkSession spark = households.sparkSession();
    List<String> groupColumns = new ArrayList<>(new LinkedHashSet<>(levels.stream()
        .map(Level::groupColumn).filter(Objects::nonNull).toList()));
    Dataset<Row> keys = keys(groupColumns);

    describe(spark, "rank: households, people and score range per group");
    Dataset<Row> statistics = statistics(keys, groupColumns);
    List<Row> combinations = combinations(statistics, keys, groupColumns);
    long total = combinations.stream().mapToLong(r -> r.getLong(0)).sum();
    if (total == 0) {
      Dataset<Row> empty = households;
      for (Level level : levels) {
        empty = empty.withColumn(level.percentileColumn(), lit(null).cast(DataTypes.IntegerType));
        if (level.decileColumn() != null) {
          empty = empty.withColumn(level.decileColumn(), lit(null).cast(DataTypes.IntegerType));
        }
      }
      return new Result(empty, levels.stream().map(l -> new LevelSummary(l.name(), 0, 0, 0, 0, 0, 0)).toList(),
          List.of(statistics, empty));
    }

    List<LevelPlan> plans = new ArrayList<>();
    int cellOffset = 0;
    for (Level level : levels) {
      LevelPlan plan = LevelPlan.of(level, combinations, groupColumns, total, cellsPerLevel, cellOffset);
      plans.add(plan);
      cellOffset = Math.addExact(cellOffset, plan.layout.cells());
    }

    describe(spark, "rank: weighted score histogram (" + thousands(cellOffset) + " cells)");
    long[] histogram = histogram(keys, plans, groupColumns.size(), cellOffset);

    BitSet cutCells = new BitSet(cellOffset);
    Map<Integer, long[]> targets = new HashMap<>();
    for (LevelPlan plan : plans) {
      plan.placeCuts(histogram, cutCells, targets);
    }

    describe(spark, "rank: exact cut points inside " + thousands(cutCells.cardinality()) + " bins");
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<BitSet> cutCellsShared = context.broadcast(cutCells);
    Broadcast<Map<Integer, long[]>> targetsShared = context.broadcast(targets);
    List<CellCuts> found = cutKeys(keys, plans, groupColumns.size(), cutCellsShared, targetsShared);
    long[] householdsInCutBins = new long[plans.size()];
    for (CellCuts cell : found) {
      int level = levelOf(plans, cell.cell());
      householdsInCutBins[level] += cell.examined();
      cell.keys().forEach(plans.get(level)::setKey);
    }
    cutCellsShared.destroy();
    targetsShared.destroy();

    Dataset<Row> ranked = households;
    List<LevelSummary> summaries = new ArrayList<>();
    for (int l = 0; l < plans.size(); l++) {
      LevelPlan plan = plans.get(l);
      ranked = ranked.withColumn(plan.level.percentileColumn(), plan.percentile(col(idColumn), col(scoreColumn)));
      if (plan.level.decileColumn() != null) {
        // ceil(ceil(x) / 10) = ceil(x / 10): the desil follows from the percentile exactly.
        ranked = ranked.withColumn(plan.level.decileColumn(),
            expr("cast((`" + plan.level.percentileColumn() + "` + 9) div 10 as int)"));
      }
      summaries.add(plan.summary(householdsInCutBins[l]));
    }
    spark.sparkContext().setJobDescription(null);
    return new Result(ranked, summaries, List.of(statistics, keys, ranked));
  }

  /** The columns the passes read, with fixed types: id, score, weight, then each group key as a string. */
  private Dataset<Row> keys(List<String> groupColumns) {
    List<Column> columns = new ArrayList<>(List.of(
        col(idColumn).cast(DataTypes.LongType).as("id"),
        col(scoreColumn).cast(DataTypes.DoubleType).as("score"),
        col(weightColumn).cast(DataTypes.LongType).as("weight")));
    for (int g = 0; g < groupColumns.size(); g++) {
      columns.add(col(groupColumns.get(g)).cast(DataTypes.StringType).as("group" + g));
    }
    return households.select(columns.toArray(Column[]::new));
  }

  /**
   * One row per combination of group keys: households, people, score range, and the rows that cannot
   * be ranked. A bad row fails the ranking with an example, before anything is computed from it.
   */
  private static Dataset<Row> statistics(Dataset<Row> keys, List<String> groupColumns) {
    Column[] groups = new Column[groupColumns.size()];
    for (int g = 0; g < groups.length; g++) {
      groups[g] = col("group" + g);
    }
    return keys.groupBy(groups).agg(
        count(lit(1)).as("households"),
        sum("weight").as("weight"),
        min("score").as("minimum"),
        max("score").as("maximum"),
        sum(when(badId(), 1).otherwise(0)).as("bad_id"),
        sum(when(badScore(), 1).otherwise(0)).as("bad_score"),
        sum(when(badWeight(), 1).otherwise(0)).as("bad_weight"),
        sum(when(badGroup(groups.length), 1).otherwise(0)).as("bad_group"));
  }

  private static Column badId() {
    return col("id").isNull();
  }

  private static Column badScore() {
    return col("score").isNull().or(expr("isnan(score)")).or(expr("abs(score) = double('infinity')"));
  }

  private static Column badWeight() {
    return col("weight").isNull().or(col("weight").lt(1));
  }

  private static Column badGroup(int groupKeys) {
    Column bad = lit(false);
    for (int g = 0; g < groupKeys; g++) {
      bad = bad.or(col("group" + g).isNull());
    }
    return bad;
  }

  private List<Row> combinations(Dataset<Row> statistics, Dataset<Row> keys, List<String> groupColumns) {
    int groupKeys = groupColumns.size();
    List<Row> rows = statistics.collectAsList();
    long badIds = rows.stream().mapToLong(r -> r.isNullAt(groupKeys + 4) ? 0 : r.getLong(groupKeys + 4)).sum();
    long badScores = rows.stream().mapToLong(r -> r.isNullAt(groupKeys + 5) ? 0 : r.getLong(groupKeys + 5)).sum();
    long badWeights = rows.stream().mapToLong(r -> r.isNullAt(groupKeys + 6) ? 0 : r.getLong(groupKeys + 6)).sum();
    long badGroups = rows.stream().mapToLong(r -> r.isNullAt(groupKeys + 7) ? 0 : r.getLong(groupKeys + 7)).sum();
    requireNone(badIds, keys, badId(), "a null " + idColumn);
    requireNone(badScores, keys, badScore(), "a null, NaN or infinite " + scoreColumn);
    requireNone(badWeights, keys, badWeight(), "a " + weightColumn + " that is null or below 1 (a household ranks with its people)");
    requireNone(badGroups, keys, badGroup(groupKeys), "a null region key in " + groupColumns);
    // Reorder so that the counts come first and the group keys after: what LevelPlan reads.
    List<Row> combinations = new ArrayList<>();
    for (Row row : rows) {
      Object[] values = new Object[4 + groupKeys];
      values[0] = row.getLong(groupKeys);
      values[1] = row.isNullAt(groupKeys + 1) ? 0L : row.getLong(groupKeys + 1);
      values[2] = row.isNullAt(groupKeys + 2) ? 0.0 : row.getDouble(groupKeys + 2);
      values[3] = row.isNullAt(groupKeys + 3) ? 0.0 : row.getDouble(groupKeys + 3);
      for (int g = 0; g < groupKeys; g++) {
        values[4 + g] = row.getString(g);
      }
      combinations.add(org.apache.spark.sql.RowFactory.create(values));
    }
    return combinations;
  }

  private void requireNone(long bad, Dataset<Row> keys, Column condition, String what) {
    if (bad > 0) {
      Row example = keys.where(condition).first();
      throw new IllegalArgumentException("Cannot rank: " + thousands(bad) + " household(s) have " + what
          + ", for example " + idColumn + " " + example.get(0) + " (" + scoreColumn + " " + example.get(1) + ", "
          + weightColumn + " " + example.get(2) + ")");
    }
  }

  /** People per cell of every level, summed in one array per task and added up across tasks. */
  private static long[] histogram(Dataset<Row> keys, List<LevelPlan> plans, int groupKeys, int cells) {
    LevelCells[] levels = plans.stream().map(LevelPlan::cells).toArray(LevelCells[]::new);
    JavaRDD<long[]> partials = keys.queryExecution().toRdd().toJavaRDD().mapPartitions(rows -> {
      long[] counts = new long[cells];
      String[] groups = new String[groupKeys];
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        double score = row.getDouble(1) + 0.0;
        long weight = row.getLong(2);
        readGroups(row, groups);
        for (LevelCells level : levels) {
          counts[level.globalCell(groups, score)] += weight;
        }
      }
      return Collections.singletonList(counts).iterator();
    });
    return partials.treeReduce((a, b) -> {
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      return a;
    }, 2);
  }

  /**
   * The households in the cut bins, grouped by bin and walked in (score, id) order: the last one
   * within each cut. Returns, per cut bin, its cut keys and the households looked at.
   */
  private static List<CellCuts> cutKeys(Dataset<Row> keys, List<LevelPlan> plans, int groupKeys, Broadcast<BitSet> cutCells,
      Broadcast<Map<Integer, long[]>> targets) {
    LevelCells[] levels = plans.stream().map(LevelPlan::cells).toArray(LevelCells[]::new);
    int partitions = Math.max(1, Integer.parseInt(keys.sparkSession().conf().get("spark.sql.shuffle.partitions", "200")));
    return keys.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(rows -> {
          BitSet cut = cutCells.value();
          String[] groups = new String[groupKeys];
          Map<Integer, CellMembers> found = new HashMap<>();
          while (rows.hasNext()) {
            InternalRow row = rows.next();
            double score = row.getDouble(1) + 0.0;
            readGroups(row, groups);
            for (LevelCells level : levels) {
              int cell = level.globalCell(groups, score);
              if (cut.get(cell)) {
                found.computeIfAbsent(cell, CellMembers::new).add(score, row.getLong(0), row.getLong(2));
              }
            }
          }
          // One record per cut bin and task, in primitive arrays: a few hundred records to shuffle, not one per household.
          return found.values().stream().map(CellMembers::trimmed).iterator();
        })
        .mapToPair(members -> new Tuple2<>(members.cell, members))
        .reduceByKey(CellMembers::plus, partitions)
        .map(bin -> findCuts(bin._2(), targets.value().get(bin._1())))
        .collect();
  }

  /** Walks one bin in (score, id) order; {@code targets} holds pairs (k, people allowed inside the bin). */
  private static CellCuts findCuts(CellMembers members, long[] targets) {
    int cell = members.cell;
    Integer[] order = new Integer[members.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> members.scores[i]).thenComparingLong(i -> members.ids[i]));
    List<CutKey> keys = new ArrayList<>();
    long running = 0;
    int next = 0;
    int last = -1;
    for (int i : order) {
      // Close every cut whose allowance this household would pass.
      while (next < targets.length && running + members.weights[i] > targets[next + 1]) {
        keys.add(last < 0 ? new CutKey(cell, (int) targets[next], false, 0, 0)
            : new CutKey(cell, (int) targets[next], true, members.scores[last], members.ids[last]));
        next += 2;
      }
      running += members.weights[i];
      last = i;
    }
    for (; next < targets.length; next += 2) {
      keys.add(last < 0 ? new CutKey(cell, (int) targets[next], false, 0, 0)
          : new CutKey(cell, (int) targets[next], true, members.scores[last], members.ids[last]));
    }
    return new CellCuts(cell, members.size, keys);
  }

  /** The households of one cut bin (score, id, weight), in growable primitive arrays. */
  static final class CellMembers implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int cell;
    private double[] scores = new double[16];
    private long[] ids = new long[16];
    private long[] weights = new long[16];
    private int size;

    CellMembers(int cell) {
      this.cell = cell;
    }

    void add(double score, long id, long weight) {
      if (size == scores.length) {
        scores = java.util.Arrays.copyOf(scores, size * 2);
        ids = java.util.Arrays.copyOf(ids, size * 2);
        weights = java.util.Arrays.copyOf(weights, size * 2);
      }
      scores[size] = score;
      ids[size] = id;
      weights[size] = weight;
      size++;
    }

    CellMembers trimmed() {
      scores = java.util.Arrays.copyOf(scores, size);
      ids = java.util.Arrays.copyOf(ids, size);
      weights = java.util.Arrays.copyOf(weights, size);
      return this;
    }

    CellMembers plus(CellMembers other) {
      for (int i = 0; i < other.size; i++) {
        add(other.scores[i], other.ids[i], other.weights[i]);
      }
      return this;
    }
  }

  private static void readGroups(InternalRow row, String[] groups) {
    for (int g = 0; g < groups.length; g++) {
      groups[g] = row.getUTF8String(3 + g).toString();
    }
  }

  private static int levelOf(List<LevelPlan> plans, int cell) {
    for (int l = plans.size() - 1; l >= 0; l--) {
      if (cell >= plans.get(l).cellOffset) {
        return l;
      }
    }
    throw new IllegalStateException("cell " + cell + " belongs to no level");
  }

  private static void describe(SparkSession spark, String description) {
    spark.sparkContext().setJobDescription(description);
  }

  private static String thousands(long value) {
    return String.format("%,d", value);
  }

  /** Cut point {@code k} of a cell: the key of its last household, or no key when it ends before the bin. */
  record CutKey(int cell, int k, boolean hasKey, double score, long id) implements Serializable {}

  /** The cut keys found in one bin and how many households it held. */
  record CellCuts(int cell, long examined, List<CutKey> keys) implements Serializable {}

  /** What a task needs to place a household in a level's cells: the group key it reads, the bins, the offset. */
  record LevelCells(int groupKey, BinLayout layout, int cellOffset) implements Serializable {
    int globalCell(String[] groupKeys, double score) {
      int group = groupKey < 0 ? 0 : layout.group(groupKeys[groupKey]);
      return cellOffset + layout.cell(group, score);
    }
  }

  /** One level's groups, bins, population and cut points. */
  private static final class LevelPlan {
    private final Level level;
    /** Which group key (index into the key columns) this level groups by, or -1 for the whole input. */
    private final int groupKey;
    private final List<GroupStats> groups;
    private final long[] population;
    private final BinLayout layout;
    private final CutPoints cuts;
    private final int cellOffset;

    private LevelPlan(Level level, int groupKey, List<GroupStats> groups, long[] population, BinLayout layout, int cellOffset) {
      this.level = level;
      this.groupKey = groupKey;
      this.groups = groups;
      this.population = population;
      this.layout = layout;
      this.cuts = new CutPoints(layout);
      this.cellOffset = cellOffset;
    }

    static LevelPlan of(Level level, List<Row> combinations, List<String> groupColumns, long households, int cellsPerLevel,
        int cellOffset) {
      int groupKey = level.groupColumn() == null ? -1 : groupColumns.indexOf(level.groupColumn());
      Map<String, GroupStats> byKey = new TreeMap<>();
      for (Row row : combinations) {
        String key = groupKey < 0 ? null : row.getString(4 + groupKey);
        GroupStats stats = new GroupStats(key, row.getLong(0), row.getLong(1), row.getDouble(2), row.getDouble(3));
        byKey.merge(key == null ? "" : key, stats, GroupStats::plus);
      }
      List<GroupStats> groups = List.copyOf(byKey.values());
      long[] population = new long[groups.size()];
      for (int g = 0; g < groups.size(); g++) {
        long people = groups.get(g).weight();
        population[g] = level.population().orElse(people);
        if (population[g] < people) {
          throw new IllegalArgumentException("Cannot rank level " + level.name() + ": the reference population "
              + thousands(population[g]) + " is below the " + thousands(people)
              + " people ranked; N must be at least the registry's people, or percentiles would pass 100");
        }
      }
      long rowsPerBin = Math.max(MIN_ROWS_PER_BIN, (households + cellsPerLevel - 1) / cellsPerLevel);
      return new LevelPlan(level, groupKey, groups, population, BinLayout.of(groups, rowsPerBin), cellOffset);
    }

    LevelCells cells() {
      return new LevelCells(groupKey, layout, cellOffset);
    }

    /**
     * For each group and cut k: the bin where the running sum of people crosses floor(k * N / 100).
     * Cuts at or past the group's people take everyone; a cut that ends exactly where a bin starts
     * needs no look inside it; the others become targets for the exact look.
     */
    void placeCuts(long[] histogram, BitSet cutCells, Map<Integer, long[]> targets) {
      Map<Integer, List<long[]>> perCell = new HashMap<>();
      for (int g = 0; g < groups.size(); g++) {
        long people = groups.get(g).weight();
        int first = cellOffset + layout.firstCell(g);
        int bins = layout.bins(g);
        long before = 0;
        int bin = 0;
        for (int k = 1; k <= CutPoints.CUTS; k++) {
          // cum <= floor(k * N / 100) exactly when ceil(100 * cum / N) <= k.
          long allowed = Math.multiplyExact(k, population[g]) / 100;
          if (allowed >= people) {
            cuts.setEveryone(g, k);
            continue;
          }
          while (before + histogram[first + bin] <= allowed) {
            before += histogram[first + bin];
            bin++;
          }
          long inside = allowed - before;
          if (inside == 0) {
            cuts.setBeforeBin(g, k, bin);
          } else {
            cutCells.set(first + bin);
            perCell.computeIfAbsent(first + bin, c -> new ArrayList<>()).add(new long[] {k, inside});
          }
        }
      }
      perCell.forEach((cell, list) -> {
        long[] flat = new long[list.size() * 2];
        for (int i = 0; i < list.size(); i++) {
          flat[2 * i] = list.get(i)[0];
          flat[2 * i + 1] = list.get(i)[1];
        }
        targets.put(cell, flat);
      });
    }

    void setKey(CutKey key) {
      int local = key.cell() - cellOffset;
      int group = groupOfCell(local);
      int bin = local - layout.firstCell(group);
      if (key.hasKey()) {
        cuts.setKey(group, key.k(), bin, key.score(), key.id());
      } else {
        cuts.setBeforeBin(group, key.k(), bin);
      }
    }

    private int groupOfCell(int local) {
      int low = 0;
      int high = layout.groups() - 1;
      while (low < high) {
        int mid = (low + high + 1) >>> 1;
        if (layout.firstCell(mid) <= local) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      return low;
    }

    /** The percentile of every household: a binary search over the level's cut points, compiled into the row loop. */
    Column percentile(Column id, Column score) {
      PercentileLabels labels = new PercentileLabels(cuts);
      Column scoreValue = score.cast(DataTypes.DoubleType);
      Column idValue = id.cast(DataTypes.LongType);
      if (groupKey < 0) {
        return ObjectCalls.call(labels, "percentile", DataTypes.IntegerType, scoreValue, idValue);
      }
      return ObjectCalls.call(labels, "percentile", DataTypes.IntegerType, col(level.groupColumn()).cast(DataTypes.StringType),
          scoreValue, idValue);
    }

    LevelSummary summary(long householdsInCutBins) {
      long households = groups.stream().mapToLong(GroupStats::households).sum();
      long people = groups.stream().mapToLong(GroupStats::weight).sum();
      long n = groupKey < 0 ? population[0] : people;
      return new LevelSummary(level.name(), groups.size(), households, people, n, layout.cells(), householdsInCutBins);
    }
  }
}
