package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import id.dtks.lakehouse.spark.ObjectCalls;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
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
 *   <li>histogram: people per score bin of every group of every level, in one scan. The bins are
 *       powers of two ({@link ScoreGrid}), so no pass has to find the score range first; each task
 *       fills its own histograms ({@link GroupHistogram}) and they merge exactly. The same scan
 *       counts the rows that cannot be ranked;
 *   <li>cut points: on the driver, the bin holding each of the 99 cuts of every group; a pass over
 *       the keys the histogram scan kept then takes only the households of those bins (a few per
 *       cut) and finds the exact last household of each cut, grouped by bin;
 *   <li>labels: each household's percentile by a search over its group's 99 cut points, a method
 *       call compiled into the write's row loop ({@link PercentileLabels}).
 * </ol>
 * The histogram scan reads column vectors where the households come from a columnar source, and
 * keeps the key columns for the cut-point pass ({@link HouseholdKeys}). Exact for any partitioning, bin count and executor count: bins only
 * decide how many households the cut-point step looks at.
 */
public final class PopulationRanking {
  /** The cell budget of one level: histogram arrays stay near 16 MB per task, whatever the data size. */
  static final int DEFAULT_CELLS_PER_LEVEL = 1 << 21;
  /**
   * A grouped level gives each group this share of the level's cells: the 514 kabupaten/kota
   * together then hold about as many cells as the nation. A province gets as many bins as a
   * kabupaten/kota; its larger cut bins cost the exact look little.
   */
  private static final int GROUPS_SHARING_A_LEVEL = 512;

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
   * queries the ranking ran or will run (the key scan of the histogram and cut-point passes, the
   * labelled rows), for plan checks.
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
    List<String> groupColumns = new ArrayList<>(new LinkedHashSet<>(levels.stream()
        .map(Level::groupColumn).filter(Objects::nonNull).toList()));
    HouseholdKeys keys = new HouseholdKeys(households, idColumn, scoreColumn, weightColumn, groupColumns);
    try {
      return execute(keys, groupColumns);
    } finally {
      keys.release();
    }
  }

  private Result execute(HouseholdKeys keys, List<String> groupColumns) {
    SparkSession spark = households.sparkSession();
    int[] groupKeyOf = levels.stream().mapToInt(l -> l.groupColumn() == null ? -1 : groupColumns.indexOf(l.groupColumn())).toArray();
    int[] binsPerGroup = levels.stream().mapToInt(l -> Math.max(GroupHistogram.MIN_BINS,
        l.groupColumn() == null ? cellsPerLevel : cellsPerLevel / GROUPS_SHARING_A_LEVEL)).toArray();

    describe(spark, "rank: weighted score histogram of " + levels.size() + " level(s), " + (keys.columnar() ? "columnar" : "row by row"));
    PartitionHistograms histograms = histogram(keys, groupKeyOf, binsPerGroup);
    requireRankable(histograms.rejected, keys.query(), groupColumns);
    long total = histograms.levels.get(0).values().stream().mapToLong(GroupHistogram::households).sum();
    if (total == 0) {
      Dataset<Row> empty = households;
      for (Level level : levels) {
        empty = empty.withColumn(level.percentileColumn(), lit(null).cast(DataTypes.IntegerType));
        if (level.decileColumn() != null) {
          empty = empty.withColumn(level.decileColumn(), lit(null).cast(DataTypes.IntegerType));
        }
      }
      spark.sparkContext().setJobDescription(null);
      return new Result(empty, levels.stream().map(l -> new LevelSummary(l.name(), 0, 0, 0, 0, 0, 0)).toList(),
          List.of(keys.query(), empty));
    }

    List<LevelPlan> plans = new ArrayList<>();
    int cellOffset = 0;
    for (int l = 0; l < levels.size(); l++) {
      LevelPlan plan = LevelPlan.of(levels.get(l), groupKeyOf[l], histograms.levels.get(l), cellOffset);
      plans.add(plan);
      cellOffset = Math.addExact(cellOffset, plan.layout.cells());
    }

    BitSet cutCells = new BitSet(cellOffset);
    Map<Integer, long[]> targets = new HashMap<>();
    for (LevelPlan plan : plans) {
      plan.placeCuts(cutCells, targets);
    }

    describe(spark, "rank: exact cut points inside " + thousands(cutCells.cardinality()) + " bins");
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<BitSet> cutCellsShared = context.broadcast(cutCells);
    Broadcast<Map<Integer, long[]>> targetsShared = context.broadcast(targets);
    List<CellCuts> found = cutKeys(keys, plans, cutCellsShared, targetsShared);
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
    return new Result(ranked, summaries, List.of(keys.query(), ranked));
  }

  /**
   * Fails on rows that cannot be ranked, counted by the histogram pass, with an example found by a
   * query that runs only then.
   */
  private void requireRankable(long[] rejected, Dataset<Row> keys, List<String> groupColumns) {
    Column[] conditions = {col(idColumn).isNull(),
        col(scoreColumn).isNull().or(expr("isnan(`" + scoreColumn + "`)")).or(expr("abs(`" + scoreColumn + "`) = double('infinity')")),
        col(weightColumn).isNull().or(col(weightColumn).lt(1)),
        groupColumns.stream().map(g -> col(g).isNull()).reduce(Column::or).orElse(lit(false))};
    String[] what = {"a null " + idColumn, "a null, NaN or infinite " + scoreColumn,
        "a " + weightColumn + " that is null or below 1 (a household ranks with its people)", "a null region key in " + groupColumns};
    for (int reason = 0; reason < rejected.length; reason++) {
      if (rejected[reason] > 0) {
        Row example = households.where(conditions[reason]).select(idColumn, scoreColumn, weightColumn).first();
        throw new IllegalArgumentException("Cannot rank: " + thousands(rejected[reason]) + " household(s) have " + what[reason]
            + ", for example " + idColumn + " " + example.get(0) + " (" + scoreColumn + " " + example.get(1) + ", "
            + weightColumn + " " + example.get(2) + ")");
      }
    }
  }

  /**
   * People per score bin of every group of every level, in one pass: each task fills one
   * {@link GroupHistogram} per group it meets, and the tasks' histograms are merged by group.
   */
  private static PartitionHistograms histogram(HouseholdKeys keys, int[] groupKeyOf, int[] binsPerGroup) {
    JavaRDD<PartitionHistograms> partials = keys.map(chunks -> {
      int levelCount = groupKeyOf.length;
      List<List<GroupHistogram>> bySlot = new ArrayList<>();
      for (int l = 0; l < levelCount; l++) {
        bySlot.add(new ArrayList<>());
      }
      while (chunks.next()) {
        int n = chunks.size;
        if (n == 0) {
          continue;
        }
        double[] scores = chunks.scores;
        long[] weights = chunks.weights;
        for (int l = 0; l < levelCount; l++) {
          List<GroupHistogram> histograms = bySlot.get(l);
          if (groupKeyOf[l] < 0) {
            if (histograms.isEmpty()) {
              histograms.add(new GroupHistogram(binsPerGroup[l]));
            }
            GroupHistogram histogram = histograms.get(0);
            // The chunk's extremes first: the window then holds every score of the chunk.
            histogram.cover(chunks.lowest);
            histogram.cover(chunks.highest);
            for (int i = 0; i < n; i++) {
              histogram.add(scores[i], weights[i]);
            }
          } else {
            int[] slots = chunks.groups[groupKeyOf[l]];
            for (int i = 0; i < n; i++) {
              int slot = slots[i];
              while (histograms.size() <= slot) {
                histograms.add(new GroupHistogram(binsPerGroup[l]));
              }
              histograms.get(slot).add(scores[i], weights[i]);
            }
          }
        }
      }
      PartitionHistograms result = new PartitionHistograms(chunks.rejected().clone());
      for (int l = 0; l < levelCount; l++) {
        Map<String, GroupHistogram> byKey = new HashMap<>();
        List<GroupHistogram> histograms = bySlot.get(l);
        for (int slot = 0; slot < histograms.size(); slot++) {
          String key = groupKeyOf[l] < 0 ? "" : chunks.key(groupKeyOf[l], slot);
          byKey.put(key, histograms.get(slot).trimmed());
        }
        result.levels.add(byKey);
      }
      return result;
    });
    if (partials.getNumPartitions() == 0) {
      PartitionHistograms none = new PartitionHistograms(new long[4]);
      Arrays.stream(groupKeyOf).forEach(level -> none.levels.add(new HashMap<>()));
      return none;
    }
    return partials.treeReduce(PartitionHistograms::plus, 2);
  }

  /** What the histogram pass sends back: per level, each group's histogram by key ("" for a whole level); rows rejected. */
  static final class PartitionHistograms implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<Map<String, GroupHistogram>> levels = new ArrayList<>();
    final long[] rejected;

    PartitionHistograms(long[] rejected) {
      this.rejected = rejected;
    }

    PartitionHistograms plus(PartitionHistograms other) {
      for (int r = 0; r < rejected.length; r++) {
        rejected[r] += other.rejected[r];
      }
      for (int l = 0; l < levels.size(); l++) {
        Map<String, GroupHistogram> mine = levels.get(l);
        other.levels.get(l).forEach((key, histogram) -> mine.merge(key, histogram, GroupHistogram::plus));
      }
      return this;
    }
  }

  /**
   * The households in the cut bins, grouped by bin and walked in (score, id) order: the last one
   * within each cut. Returns, per cut bin, its cut keys and the households looked at.
   */
  private static List<CellCuts> cutKeys(HouseholdKeys keys, List<LevelPlan> plans, Broadcast<BitSet> cutCells,
      Broadcast<Map<Integer, long[]>> targets) {
    LevelCells[] levels = plans.stream().map(LevelPlan::cells).toArray(LevelCells[]::new);
    int partitions = Math.max(1, Integer.parseInt(plans.isEmpty() ? "1"
        : keys.query().sparkSession().conf().get("spark.sql.shuffle.partitions", "200")));
    return keys.map(chunks -> {
          BitSet cut = cutCells.value();
          Map<Integer, CellMembers> found = new HashMap<>();
          // Per level, the layout's group of each of this partition's group slots (-1: not looked up yet).
          int[][] groupOfSlot = new int[levels.length][0];
          while (chunks.next()) {
            for (int i = 0; i < chunks.size; i++) {
              double score = chunks.scores[i];
              for (int l = 0; l < levels.length; l++) {
                LevelCells level = levels[l];
                int group = 0;
                if (level.groupKey() >= 0) {
                  int slot = chunks.groups[level.groupKey()][i];
                  if (slot >= groupOfSlot[l].length) {
                    int from = groupOfSlot[l].length;
                    groupOfSlot[l] = Arrays.copyOf(groupOfSlot[l], Math.max(slot + 1, 2 * from));
                    Arrays.fill(groupOfSlot[l], from, groupOfSlot[l].length, -1);
                  }
                  group = groupOfSlot[l][slot];
                  if (group < 0) {
                    group = level.layout().group(chunks.key(level.groupKey(), slot));
                    groupOfSlot[l][slot] = group;
                  }
                }
                int cell = level.cellOffset() + level.layout().cell(group, score);
                if (cut.get(cell)) {
                  found.computeIfAbsent(cell, CellMembers::new).add(score, chunks.ids[i], chunks.weights[i]);
                }
              }
            }
          }
          if (Arrays.stream(chunks.rejected()).sum() > 0) {
            throw new IllegalStateException("Cannot rank: rows that could be ranked in the histogram pass cannot in the cut-point "
                + "pass; the households changed between the ranking's passes. Rank a deterministic input: persist it or read a "
                + "table version");
          }
          // One record per cut bin and task, in primitive arrays: a few hundred records to shuffle, not one per household.
          return found.values().stream().map(CellMembers::trimmed).toList();
        })
        .flatMap(List::iterator)
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
  record LevelCells(int groupKey, BinLayout layout, int cellOffset) implements Serializable {}

  /** One level's groups, bins, people, population and cut points. */
  private static final class LevelPlan {
    private final Level level;
    /** Which group key (index into the key columns) this level groups by, or -1 for the whole input. */
    private final int groupKey;
    private final BinLayout layout;
    /** People per cell of every group, one group after the other. */
    private final long[] histogram;
    private final long[] households;
    private final long[] people;
    private final long[] population;
    private final CutPoints cuts;
    private final int cellOffset;

    private LevelPlan(Level level, int groupKey, BinLayout layout, long[] histogram, long[] households, long[] people,
        long[] population, int cellOffset) {
      this.level = level;
      this.groupKey = groupKey;
      this.layout = layout;
      this.histogram = histogram;
      this.households = households;
      this.people = people;
      this.population = population;
      this.cuts = new CutPoints(layout);
      this.cellOffset = cellOffset;
    }

    /** The plan of one level from its merged histograms, groups in key order. */
    static LevelPlan of(Level level, int groupKey, Map<String, GroupHistogram> merged, int cellOffset) {
      Map<String, GroupHistogram> byKey = new TreeMap<>(merged);
      List<String> keys = new ArrayList<>();
      List<GroupHistogram> histograms = new ArrayList<>();
      byKey.forEach((key, histogram) -> {
        keys.add(groupKey < 0 ? null : key);
        histograms.add(histogram);
      });
      BinLayout layout = BinLayout.of(keys, histograms);
      long[] cells = new long[layout.cells()];
      long[] households = new long[keys.size()];
      long[] people = new long[keys.size()];
      long[] population = new long[keys.size()];
      for (int g = 0; g < keys.size(); g++) {
        long[] counts = histograms.get(g).counts();
        System.arraycopy(counts, 0, cells, layout.firstCell(g), counts.length);
        households[g] = histograms.get(g).households();
        people[g] = histograms.get(g).people();
        population[g] = level.population().orElse(people[g]);
        if (population[g] < people[g]) {
          throw new IllegalArgumentException("Cannot rank level " + level.name() + ": the reference population "
              + thousands(population[g]) + " is below the " + thousands(people[g])
              + " people ranked; N must be at least the registry's people, or percentiles would pass 100");
        }
      }
      return new LevelPlan(level, groupKey, layout, cells, households, people, population, cellOffset);
    }

    LevelCells cells() {
      return new LevelCells(groupKey, layout, cellOffset);
    }

    /**
     * For each group and cut k: the bin where the running sum of people crosses floor(k * N / 100).
     * Cuts at or past the group's people take everyone; a cut that ends exactly where a bin starts
     * needs no look inside it; the others become targets for the exact look.
     */
    void placeCuts(BitSet cutCells, Map<Integer, long[]> targets) {
      Map<Integer, List<long[]>> perCell = new HashMap<>();
      for (int g = 0; g < layout.groups(); g++) {
        long groupPeople = people[g];
        int first = layout.firstCell(g);
        int bins = layout.bins(g);
        long before = 0;
        int bin = 0;
        for (int k = 1; k <= CutPoints.CUTS; k++) {
          // cum <= floor(k * N / 100) exactly when ceil(100 * cum / N) <= k.
          long allowed = Math.multiplyExact(k, population[g]) / 100;
          if (allowed >= groupPeople) {
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
            int cell = cellOffset + first + bin;
            cutCells.set(cell);
            perCell.computeIfAbsent(cell, c -> new ArrayList<>()).add(new long[] {k, inside});
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
      long levelHouseholds = Arrays.stream(households).sum();
      long levelPeople = Arrays.stream(people).sum();
      long n = groupKey < 0 ? population[0] : levelPeople;
      return new LevelSummary(level.name(), layout.groups(), levelHouseholds, levelPeople, n, layout.cells(), householdsInCutBins);
    }
  }
}
