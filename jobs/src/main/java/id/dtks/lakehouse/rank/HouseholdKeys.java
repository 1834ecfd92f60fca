package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.execution.ColumnarToRowTransition;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The columns every pass of the ranking reads (id, score, weight, the group keys), handed to a pass
 * partition by partition as chunks of primitive arrays.
 *
 * <p>Where the households come straight from a columnar source (a parquet or Delta scan, a cached
 * table), the chunks are filled from its column vectors: no row is assembled, which halves the
 * time of a pass over a scan. Any other plan is read row by row through the same chunks, so both
 * paths give the passes the same values.
 *
 * <p>The first pass keeps each partition's keys ({@link KeyBlock}: 32 bytes a household with two
 * region columns, in memory or spilled to disk) and the later passes run on them, so a ranking
 * reads its input once for its histogram and cut-point passes, whatever the input's plan.
 *
 * <p>Rows that cannot be ranked (a null id, a null, NaN or infinite score, a weight null or below 1,
 * a null group key) are left out of the chunks and counted, per condition, in {@link Chunks#rejected()}.
 */
final class HouseholdKeys {
  static final int NULL_ID = 0;
  static final int BAD_SCORE = 1;
  static final int BAD_WEIGHT = 2;
  static final int NULL_GROUP = 3;
  private static final int CHUNK_ROWS = 4096;

  private final Dataset<Row> selected;
  private final Dataset<Row> typed;
  private final int groupKeys;
  /** Each partition's keys, read by the first pass; null before it and after {@link #release()}. */
  private JavaRDD<KeyBlock> kept;

  /** One pass over one partition's chunks, returning what the task sends back. */
  interface Pass<T> extends Serializable {
    T run(Chunks chunks);
  }

  HouseholdKeys(Dataset<Row> households, String id, String score, String weight, List<String> groups) {
    List<Column> plain = new ArrayList<>(List.of(col(id), col(score), col(weight)));
    List<Column> cast = new ArrayList<>(List.of(col(id).cast(DataTypes.LongType), col(score).cast(DataTypes.DoubleType),
        col(weight).cast(DataTypes.LongType)));
    for (String group : groups) {
      plain.add(col(group));
      cast.add(col(group).cast(DataTypes.StringType));
    }
    this.selected = households.select(plain.toArray(Column[]::new));
    this.typed = households.select(cast.toArray(Column[]::new));
    this.groupKeys = groups.size();
  }

  /** The query the passes run (the columns as read, or cast for the row-by-row path): for plan checks. */
  Dataset<Row> query() {
    return columnar() ? selected : typed;
  }

  /**
   * Runs {@code pass} on every partition's keys. The first pass reads the households (column
   * vectors when the plan allows it, else rows) and keeps each partition's keys in memory, spilling
   * to disk when memory is short; later passes run on the kept keys, so the input is read once.
   */
  <T> JavaRDD<T> map(Pass<T> pass) {
    if (kept == null) {
      kept = read(KeyBlock::of).persist(StorageLevel.MEMORY_AND_DISK());
    }
    return kept.map(block -> pass.run(block.chunks()));
  }

  /** Drops the kept keys: after the last pass. */
  void release() {
    if (kept != null) {
      kept.unpersist(false);
      kept = null;
    }
  }

  private <T> JavaRDD<T> read(Pass<T> pass) {
    int groups = groupKeys;
    Optional<ColumnarScan> columnar = ColumnarScan.of(selected);
    if (columnar.isPresent()) {
      int[] ordinals = columnar.get().ordinals();
      DataType[] types = columnar.get().types();
      return columnar.get().plan().executeColumnar().toJavaRDD()
          .mapPartitions(batches -> List.of(pass.run(new BatchChunks(batches, ordinals, types, groups))).iterator());
    }
    return typed.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(rows -> List.of(pass.run(new RowChunks(rows, groups))).iterator());
  }

  /** Whether the passes read column vectors (true) or rows: for tests and the job's log. */
  boolean columnar() {
    return ColumnarScan.of(selected).isPresent();
  }

  /**
   * A partition's households in chunks: {@link #next()} fills the arrays with the next chunk's
   * rankable rows. Group keys arrive as slots, numbered per partition in order of appearance.
   */
  abstract static class Chunks {
    int size;
    long[] ids;
    double[] scores;
    long[] weights;
    int[][] groups;
    /** The lowest and highest score of the chunk, when it holds rows. */
    double lowest;
    double highest;
    final GroupSlots[] slots;
    final long[] rejected = new long[4];

    Chunks(int groupKeys) {
      this(groupKeys, CHUNK_ROWS);
    }

    Chunks(int groupKeys, int rows) {
      ids = new long[rows];
      scores = new double[rows];
      weights = new long[rows];
      groups = new int[groupKeys][rows];
      slots = new GroupSlots[groupKeys];
      for (int g = 0; g < groupKeys; g++) {
        slots[g] = new GroupSlots();
      }
    }

    /** Fills the next chunk; false when the partition is done. A chunk may hold no row when all of its rows were rejected. */
    abstract boolean next();

    /** The key of a group slot of group column {@code g}. */
    String key(int g, int slot) {
      return slots[g].keys.get(slot);
    }

    /** Rows left out, per condition (NULL_ID, BAD_SCORE, BAD_WEIGHT, NULL_GROUP). */
    long[] rejected() {
      return rejected;
    }

    void ensureCapacity(int rows) {
      if (ids.length < rows) {
        ids = new long[rows];
        scores = new double[rows];
        weights = new long[rows];
        for (int g = 0; g < groups.length; g++) {
          groups[g] = new int[rows];
        }
      }
    }

    /**
     * Keeps the rows that can be ranked, moving them to the front; {@code nullId} and
     * {@code nullGroup} say which rows had a null there (null arrays: none had).
     */
    void keepRankable(int rows, boolean[] nullId, boolean[] nullGroup) {
      int kept = 0;
      double low = Double.POSITIVE_INFINITY;
      double high = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < rows; i++) {
        double score = scores[i] + 0.0;
        boolean badId = nullId != null && nullId[i];
        boolean badScore = !Double.isFinite(score);
        boolean badWeight = weights[i] < 1;
        boolean badGroup = nullGroup != null && nullGroup[i];
        if (badId | badScore | badWeight | badGroup) {
          rejected[NULL_ID] += badId ? 1 : 0;
          rejected[BAD_SCORE] += badScore ? 1 : 0;
          rejected[BAD_WEIGHT] += badWeight ? 1 : 0;
          rejected[NULL_GROUP] += badGroup ? 1 : 0;
          continue;
        }
        ids[kept] = ids[i];
        scores[kept] = score;
        weights[kept] = weights[i];
        for (int[] slot : groups) {
          slot[kept] = slot[i];
        }
        low = Math.min(low, score);
        high = Math.max(high, score);
        kept++;
      }
      size = kept;
      lowest = low;
      highest = high;
    }
  }

  /** One partition's rankable keys in primitive arrays, as the first pass read them: kept for the later passes. */
  static final class KeyBlock implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int size;
    private final long[] ids;
    private final double[] scores;
    private final long[] weights;
    private final int[][] groups;
    /** Per group column, the key of each slot. */
    private final String[][] keys;
    private final long[] rejected;
    private final double lowest;
    private final double highest;

    private KeyBlock(int size, long[] ids, double[] scores, long[] weights, int[][] groups, String[][] keys, long[] rejected,
        double lowest, double highest) {
      this.size = size;
      this.ids = ids;
      this.scores = scores;
      this.weights = weights;
      this.groups = groups;
      this.keys = keys;
      this.rejected = rejected;
      this.lowest = lowest;
      this.highest = highest;
    }

    /** Reads every chunk of a partition into one block. */
    static KeyBlock of(Chunks chunks) {
      int groupCount = chunks.groups.length;
      int size = 0;
      long[] ids = new long[CHUNK_ROWS];
      double[] scores = new double[CHUNK_ROWS];
      long[] weights = new long[CHUNK_ROWS];
      int[][] groups = new int[groupCount][CHUNK_ROWS];
      double lowest = Double.POSITIVE_INFINITY;
      double highest = Double.NEGATIVE_INFINITY;
      while (chunks.next()) {
        int n = chunks.size;
        if (n == 0) {
          continue;
        }
        if (size + n > ids.length) {
          int capacity = Math.max(Math.addExact(size, n), (int) Math.min(Integer.MAX_VALUE - 8, 2L * ids.length));
          ids = Arrays.copyOf(ids, capacity);
          scores = Arrays.copyOf(scores, capacity);
          weights = Arrays.copyOf(weights, capacity);
          for (int g = 0; g < groupCount; g++) {
            groups[g] = Arrays.copyOf(groups[g], capacity);
          }
        }
        System.arraycopy(chunks.ids, 0, ids, size, n);
        System.arraycopy(chunks.scores, 0, scores, size, n);
        System.arraycopy(chunks.weights, 0, weights, size, n);
        for (int g = 0; g < groupCount; g++) {
          System.arraycopy(chunks.groups[g], 0, groups[g], size, n);
        }
        lowest = Math.min(lowest, chunks.lowest);
        highest = Math.max(highest, chunks.highest);
        size += n;
      }
      String[][] keys = new String[groupCount][];
      for (int g = 0; g < groupCount; g++) {
        keys[g] = chunks.slots[g].keys.toArray(String[]::new);
        groups[g] = Arrays.copyOf(groups[g], size);
      }
      return new KeyBlock(size, Arrays.copyOf(ids, size), Arrays.copyOf(scores, size), Arrays.copyOf(weights, size), groups,
          keys, chunks.rejected().clone(), lowest, highest);
    }

    /** The block as one chunk; a pass must not change its arrays. */
    Chunks chunks() {
      return new BlockChunks(this);
    }
  }

  /** A kept block handed to a pass as a single chunk. */
  private static final class BlockChunks extends Chunks {
    private final KeyBlock block;
    private boolean handedOut;

    BlockChunks(KeyBlock block) {
      super(block.groups.length, 0);
      this.block = block;
      System.arraycopy(block.rejected, 0, rejected, 0, rejected.length);
    }

    @Override
    boolean next() {
      if (handedOut) {
        return false;
      }
      handedOut = true;
      size = block.size;
      ids = block.ids;
      scores = block.scores;
      weights = block.weights;
      groups = block.groups;
      lowest = block.lowest;
      highest = block.highest;
      return true;
    }

    @Override
    String key(int g, int slot) {
      return block.keys[g][slot];
    }
  }

  /** Group keys numbered in order of appearance, with the last key remembered: rows of one region come together. */
  static final class GroupSlots {
    private final Map<UTF8String, Integer> slots = new HashMap<>();
    /** The keys as copies the column vectors cannot overwrite, by slot. */
    private final List<UTF8String> stored = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    private UTF8String lastKey;
    private int lastSlot;

    int slot(UTF8String key) {
      if (key.equals(lastKey)) {
        return lastSlot;
      }
      Integer slot = slots.get(key);
      if (slot == null) {
        UTF8String copy = key.clone();
        slot = stored.size();
        slots.put(copy, slot);
        stored.add(copy);
        keys.add(copy.toString());
      }
      lastKey = stored.get(slot);
      lastSlot = slot;
      return slot;
    }
  }

  /** Chunks from Spark rows (id BIGINT, score DOUBLE, weight BIGINT, groups STRING). */
  private static final class RowChunks extends Chunks {
    private final Iterator<InternalRow> rows;
    private final boolean[] nullId = new boolean[CHUNK_ROWS];
    private final boolean[] nullGroup = new boolean[CHUNK_ROWS];

    RowChunks(Iterator<InternalRow> rows, int groupKeys) {
      super(groupKeys);
      this.rows = rows;
    }

    @Override
    boolean next() {
      if (!rows.hasNext()) {
        return false;
      }
      int n = 0;
      while (n < CHUNK_ROWS && rows.hasNext()) {
        InternalRow row = rows.next();
        nullId[n] = row.isNullAt(0);
        ids[n] = nullId[n] ? 0 : row.getLong(0);
        scores[n] = row.isNullAt(1) ? Double.NaN : row.getDouble(1);
        weights[n] = row.isNullAt(2) ? 0 : row.getLong(2);
        nullGroup[n] = false;
        for (int g = 0; g < groups.length; g++) {
          if (row.isNullAt(3 + g)) {
            nullGroup[n] = true;
          } else {
            groups[g][n] = slots[g].slot(row.getUTF8String(3 + g));
          }
        }
        n++;
      }
      keepRankable(n, nullId, nullGroup);
      return true;
    }
  }

  /** Chunks copied from column vectors, one batch at a time, in tight loops per column. */
  private static final class BatchChunks extends Chunks {
    private final Iterator<ColumnarBatch> batches;
    private final int[] ordinals;
    private final DataType[] types;
    private boolean[] nullId = new boolean[CHUNK_ROWS];
    private boolean[] nullGroup = new boolean[CHUNK_ROWS];

    BatchChunks(Iterator<ColumnarBatch> batches, int[] ordinals, DataType[] types, int groupKeys) {
      super(groupKeys);
      this.batches = batches;
      this.ordinals = ordinals;
      this.types = types;
    }

    @Override
    boolean next() {
      if (!batches.hasNext()) {
        return false;
      }
      ColumnarBatch batch = batches.next();
      int n = batch.numRows();
      ensureCapacity(n);
      if (nullId.length < n) {
        nullId = new boolean[n];
        nullGroup = new boolean[n];
      }
      ColumnVector id = batch.column(ordinals[0]);
      ColumnVector score = batch.column(ordinals[1]);
      ColumnVector weight = batch.column(ordinals[2]);
      readLongs(id, types[0], n, ids);
      readDoubles(score, types[1], n, scores);
      readLongs(weight, types[2], n, weights);
      boolean anyNullId = id.hasNull();
      if (anyNullId) {
        for (int i = 0; i < n; i++) {
          nullId[i] = id.isNullAt(i);
        }
      }
      if (score.hasNull()) {
        for (int i = 0; i < n; i++) {
          if (score.isNullAt(i)) {
            scores[i] = Double.NaN;
          }
        }
      }
      if (weight.hasNull()) {
        for (int i = 0; i < n; i++) {
          if (weight.isNullAt(i)) {
            weights[i] = 0;
          }
        }
      }
      boolean anyNullGroup = false;
      for (int g = 0; g < groups.length; g++) {
        ColumnVector keys = batch.column(ordinals[3 + g]);
        int[] slot = groups[g];
        GroupSlots numbering = slots[g];
        if (keys.hasNull()) {
          if (!anyNullGroup) {
            Arrays.fill(nullGroup, 0, n, false);
            anyNullGroup = true;
          }
          for (int i = 0; i < n; i++) {
            if (keys.isNullAt(i)) {
              nullGroup[i] = true;
            } else {
              slot[i] = numbering.slot(keys.getUTF8String(i));
            }
          }
        } else {
          for (int i = 0; i < n; i++) {
            slot[i] = numbering.slot(keys.getUTF8String(i));
          }
        }
      }
      keepRankable(n, anyNullId ? nullId : null, anyNullGroup ? nullGroup : null);
      return true;
    }

    private static void readLongs(ColumnVector vector, DataType type, int n, long[] into) {
      if (type == DataTypes.LongType) {
        for (int i = 0; i < n; i++) {
          into[i] = vector.getLong(i);
        }
      } else if (type == DataTypes.IntegerType) {
        for (int i = 0; i < n; i++) {
          into[i] = vector.getInt(i);
        }
      } else if (type == DataTypes.ShortType) {
        for (int i = 0; i < n; i++) {
          into[i] = vector.getShort(i);
        }
      } else {
        for (int i = 0; i < n; i++) {
          into[i] = vector.getByte(i);
        }
      }
    }

    private static void readDoubles(ColumnVector vector, DataType type, int n, double[] into) {
      if (type == DataTypes.DoubleType) {
        for (int i = 0; i < n; i++) {
          into[i] = vector.getDouble(i);
        }
      } else {
        for (int i = 0; i < n; i++) {
          into[i] = vector.getFloat(i);
        }
      }
    }
  }

  /**
   * A columnar plan whose output holds the selected columns, with each column's position: the plan
   * is a column-to-row step over a columnar source, at most under whole-stage code generation and a
   * projection that only picks columns. Anything else (a join, a computed column, an adaptive plan)
   * is read row by row.
   */
  private record ColumnarScan(SparkPlan plan, int[] ordinals, DataType[] types) {
    private static final List<DataType> IDS = List.of(DataTypes.LongType, DataTypes.IntegerType);
    private static final List<DataType> SCORES = List.of(DataTypes.DoubleType, DataTypes.FloatType);
    private static final List<DataType> WEIGHTS = List.of(DataTypes.LongType, DataTypes.IntegerType, DataTypes.ShortType,
        DataTypes.ByteType);

    static Optional<ColumnarScan> of(Dataset<Row> selected) {
      List<Attribute> wanted = CollectionConverters.asJava(selected.queryExecution().executedPlan().output());
      SparkPlan plan = selected.queryExecution().executedPlan();
      while (true) {
        if (plan instanceof WholeStageCodegenExec stage) {
          plan = stage.child();
        } else if (plan instanceof InputAdapter adapter) {
          plan = adapter.child();
        } else if (plan instanceof ProjectExec project && picksColumnsOnly(project)) {
          plan = project.child();
        } else {
          break;
        }
      }
      if (!(plan instanceof ColumnarToRowTransition) || plan.children().size() != 1) {
        return Optional.empty();
      }
      SparkPlan source = plan.children().head();
      if (!source.supportsColumnar()) {
        return Optional.empty();
      }
      List<Attribute> output = CollectionConverters.asJava(source.output());
      int[] ordinals = new int[wanted.size()];
      DataType[] types = new DataType[wanted.size()];
      for (int c = 0; c < wanted.size(); c++) {
        ExprId id = wanted.get(c).exprId();
        ordinals[c] = -1;
        for (int o = 0; o < output.size(); o++) {
          if (output.get(o).exprId().equals(id)) {
            ordinals[c] = o;
          }
        }
        types[c] = wanted.get(c).dataType();
        List<DataType> allowed = c == 0 ? IDS : c == 1 ? SCORES : c == 2 ? WEIGHTS : List.of(DataTypes.StringType);
        if (ordinals[c] < 0 || !allowed.contains(types[c])) {
          return Optional.empty();
        }
      }
      return Optional.of(new ColumnarScan(source, ordinals, types));
    }

    private static boolean picksColumnsOnly(ProjectExec project) {
      for (NamedExpression expression : CollectionConverters.asJava(project.projectList())) {
        if (!(expression instanceof Attribute)) {
          return false;
        }
      }
      return true;
    }
  }
}
