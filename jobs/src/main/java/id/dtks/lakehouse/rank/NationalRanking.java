package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.sum;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The exact national ranking of DOMAIN.md, in parallel: households sorted by score ascending, ties
 * broken by household id; {@code cum} the running sum of household sizes; {@code percentile =
 * ceil(100 * cum / N)} and {@code desil = ceil(10 * cum / N)}, at least 1.
 *
 * <p>No window over the whole country: the households are range-partitioned on (score, id), so
 * each partition holds one contiguous stretch of the national order and is sorted on its own.
 * One pass sums the sizes per partition (one number per partition reaches the driver); each
 * partition's offset is the sum of the partitions before it; a second pass adds the offset to a
 * running sum inside each partition. Exact for any partitioning, since (score, id) is a total order.
 */
public final class NationalRanking {
  public static final String CUMULATIVE = "kumulatif_individu";
  public static final String PERCENTILE = "persentil_nasional";
  public static final String DECILE = "desil_nasional";

  private NationalRanking() {}

  /**
   * Ranks {@code households} (columns {@code idColumn} BIGINT, {@code scoreColumn} DOUBLE,
   * {@code sizeColumn} INT) over {@code referencePopulation} people, in {@code partitions} ranges.
   */
  public static Ranked rank(Dataset<Row> households, String idColumn, String scoreColumn, String sizeColumn,
      long referencePopulation, int partitions) {
    if (referencePopulation <= 0) {
      throw new IllegalArgumentException("Cannot rank: the reference population must be above 0, not " + referencePopulation);
    }
    Dataset<Row> ordered = households
        .repartitionByRange(partitions, col(scoreColumn), col(idColumn))
        .sortWithinPartitions(col(scoreColumn), col(idColumn))
        // Cached so that both passes see the same partitions: the offsets are indexed by partition.
        .persist(StorageLevel.MEMORY_AND_DISK());
    // One row per partition: bounded by the partition count, not by households.
    List<Row> sums = ordered.groupBy(spark_partition_id().as("p")).agg(sum(col(sizeColumn)).as("s")).collectAsList();
    long[] offsets = new long[ordered.rdd().getNumPartitions() + 1];
    for (Row row : sums) {
      offsets[row.getInt(0) + 1] = row.getLong(1);
    }
    for (int p = 1; p < offsets.length; p++) {
      offsets[p] += offsets[p - 1];
    }
    StructType schema = ordered.schema()
        .add(CUMULATIVE, DataTypes.LongType, false)
        .add(PERCENTILE, DataTypes.IntegerType, false)
        .add(DECILE, DataTypes.IntegerType, false);
    int sizeIndex = Arrays.asList(ordered.columns()).indexOf(sizeColumn);
    Dataset<Row> ranked = ordered.mapPartitions(
        new RunningSum(offsets, sizeIndex, referencePopulation), ExpressionEncoder.apply(schema));
    return new Ranked(ranked, ordered);
  }

  /** The ranked households; close it once they are written, to release the cached order. */
  public record Ranked(Dataset<Row> rows, Dataset<Row> cachedOrder) implements AutoCloseable {
    @Override
    public void close() {
      cachedOrder.unpersist();
    }
  }

  /** Adds the partition's offset to the running sum of sizes, row by row, in the partition's order. */
  private static final class RunningSum implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final long[] offsets;
    private final int sizeIndex;
    private final long population;

    RunningSum(long[] offsets, int sizeIndex, long population) {
      this.offsets = offsets;
      this.sizeIndex = sizeIndex;
      this.population = population;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      long start = offsets[TaskContext.getPartitionId()];
      return new Iterator<>() {
        private long cumulative = start;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          cumulative += row.getInt(sizeIndex);
          Object[] values = new Object[row.size() + 3];
          for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
          }
          values[row.size()] = cumulative;
          values[row.size() + 1] = share(cumulative, 100);
          values[row.size() + 2] = share(cumulative, 10);
          return RowFactory.create(values);
        }
      };
    }

    /** ceil(parts * cumulative / population), at least 1, in exact integer arithmetic. */
    private int share(long cumulative, int parts) {
      long scaled = cumulative * parts;
      return (int) Math.max(1, (scaled + population - 1) / population);
    }
  }
}
