package id.dtks.lakehouse.bench;

import java.io.Serializable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What Spark's tasks did between two calls of {@link #take()}: rows and bytes read by scans, rows
 * and bytes written to table files, shuffle bytes written, bytes spilled to disk. The numbers are
 * Spark's own task metrics (those the Spark UI shows per stage), summed over every task that ended,
 * so a step is measured from the outside without touching its code. Reads of the Delta log count
 * too; they are small beside the data.
 */
final class TaskTotals extends SparkListener {
  /** One step's sums. */
  record Totals(long tasks, long rowsRead, long bytesRead, long rowsWritten, long bytesWritten, long shuffleBytesWritten,
      long bytesSpilledToDisk) implements Serializable {}

  private final SparkContext context;
  private final LongAdder tasks = new LongAdder();
  private final LongAdder rowsRead = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder rowsWritten = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final LongAdder shuffleBytesWritten = new LongAdder();
  private final LongAdder bytesSpilledToDisk = new LongAdder();

  private TaskTotals(SparkContext context) {
    this.context = context;
  }

  static TaskTotals listenTo(SparkContext context) {
    TaskTotals totals = new TaskTotals(context);
    context.addSparkListener(totals);
    return totals;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    TaskMetrics metrics = end.taskMetrics();
    if (metrics == null) { // a task that failed before it reported
      return;
    }
    tasks.increment();
    rowsRead.add(metrics.inputMetrics().recordsRead());
    bytesRead.add(metrics.inputMetrics().bytesRead());
    rowsWritten.add(metrics.outputMetrics().recordsWritten());
    bytesWritten.add(metrics.outputMetrics().bytesWritten());
    shuffleBytesWritten.add(metrics.shuffleWriteMetrics().bytesWritten());
    bytesSpilledToDisk.add(metrics.diskBytesSpilled());
  }

  /**
   * The sums since the last call, then zero. Waits for the listener bus first: Spark hands task
   * events to listeners on its own thread, a little after the tasks end.
   */
  Totals take() {
    try {
      // listenerBus() is private[spark] in Scala, public in the bytecode; Spark's own tests wait on it the same way.
      context.listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain within its timeout; step totals would be incomplete", e);
    }
    return new Totals(tasks.sumThenReset(), rowsRead.sumThenReset(), bytesRead.sumThenReset(), rowsWritten.sumThenReset(),
        bytesWritten.sumThenReset(), shuffleBytesWritten.sumThenReset(), bytesSpilledToDisk.sumThenReset());
  }
}
