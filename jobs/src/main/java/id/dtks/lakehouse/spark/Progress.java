package id.dtks.lakehouse.spark;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one job run: each sets a readable Spark job description (shown in the Spark UI) and
 * prints one line when it starts and one when it is done, with rows and elapsed time, so that a
 * log file reads as a list of what happened.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger("dtks");

  private final SparkSession spark;
  private final String job;
  private final long startNanos = System.nanoTime();

  public Progress(SparkSession spark, String job) {
    this.spark = spark;
    this.job = job;
  }

  /** Runs one step whose result counts rows; logs the count, the time and the rate. */
  public <T extends RowCount> T step(String description, Supplier<T> work) {
    long stepStart = System.nanoTime();
    info("%s ...", description);
    spark.sparkContext().setJobDescription(job + ": " + description);
    try {
      T result = work.get();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - stepStart);
      if (result == RowCount.NONE) {
        info("%s done in %s", description, seconds(elapsed));
      } else {
        info("%s done: %s rows in %s (%s rows/s)", description, thousands(result.rows()), seconds(elapsed),
            thousands(rate(result.rows(), elapsed)));
      }
      return result;
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** Runs a step with no row count. */
  public void run(String description, Runnable work) {
    step(description, () -> {
      work.run();
      return RowCount.NONE;
    });
  }

  public void info(String format, Object... arguments) {
    LOG.info("[{}] {}", job, String.format(Locale.ROOT, format, arguments));
  }

  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  public static String thousands(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  public static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static long rate(long rows, Duration elapsed) {
    long millis = Math.max(1, elapsed.toMillis());
    return rows * 1000 / millis;
  }

  /** A step's value together with the rows it stands for. */
  public record Counted<T>(T value, long rows) implements RowCount {}

  /** Anything a step produces that has a number of rows. */
  public interface RowCount {
    RowCount NONE = () -> 0;

    long rows();
  }
}
