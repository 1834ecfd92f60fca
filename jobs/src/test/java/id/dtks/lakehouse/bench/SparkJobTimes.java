package id.dtks.lakehouse.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Where a Spark run spends its time, step by step, without touching the code it measures: every
 * Spark job carries the description its driver code set ({@code spark.job.description}), and this
 * listener groups the jobs by it. PopulationRanking describes each of its passes, so its steps can
 * be timed from the outside.
 */
final class SparkJobTimes extends SparkListener {
  /** The local property SparkContext.setJobDescription sets (SparkContext.SPARK_JOB_DESCRIPTION, private to Spark). */
  private static final String JOB_DESCRIPTION = "spark.job.description";
  private static final String NO_DESCRIPTION = "(no job description)";

  private record Job(String description, long startMillis) {}

  /** A step: the jobs that shared one description, from the first start to the last end. */
  record Step(String description, int jobs, long startMillis, long endMillis) implements Serializable {
    double seconds() {
      return (endMillis - startMillis) / 1000.0;
    }
  }

  private final SparkContext context;
  private final Map<Integer, Job> running = new ConcurrentHashMap<>();
  private final List<Step> finished = new ArrayList<>();

  private SparkJobTimes(SparkContext context) {
    this.context = context;
  }

  static SparkJobTimes listenTo(SparkContext context) {
    SparkJobTimes times = new SparkJobTimes(context);
    context.addSparkListener(times);
    return times;
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    String description = start.properties() == null ? null : start.properties().getProperty(JOB_DESCRIPTION);
    running.put(start.jobId(), new Job(description == null ? NO_DESCRIPTION : description, start.time()));
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    Job job = running.remove(end.jobId());
    if (job != null) {
      synchronized (finished) {
        finished.add(new Step(job.description(), 1, job.startMillis(), end.time()));
      }
    }
  }

  /**
   * The steps of the jobs that ended since the last call, in the order they started; jobs with one
   * description are merged. Waits for the listener bus first: Spark delivers job events to
   * listeners on its own thread, a little after the jobs end.
   */
  List<Step> takeSteps() {
    try {
      // listenerBus() is private[spark] in Scala, public in the bytecode; Spark's own tests wait on it the same way.
      context.listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain within its timeout; step times would be incomplete", e);
    }
    List<Step> jobs;
    synchronized (finished) {
      jobs = new ArrayList<>(finished);
      finished.clear();
    }
    jobs.sort((a, b) -> Long.compare(a.startMillis(), b.startMillis()));
    Map<String, Step> byDescription = new LinkedHashMap<>();
    for (Step job : jobs) {
      byDescription.merge(job.description(), job, (a, b) -> new Step(a.description(), a.jobs() + b.jobs(),
          Math.min(a.startMillis(), b.startMillis()), Math.max(a.endMillis(), b.endMillis())));
    }
    return List.copyOf(byDescription.values());
  }
}
