package id.dtks.lakehouse.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.plans.physical.SinglePartition$;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.aggregate.BaseAggregateExec;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeLike;
import scala.jdk.javaapi.CollectionConverters;

/** Physical-plan checks for the rule "no step moves every row into one partition". */
public final class PlanChecks {
  private PlanChecks() {}

  /**
   * The exchanges of a query that move rows into a single partition. An exchange that gathers the
   * partial results of an aggregate (one row per task) moves no households and is not reported.
   */
  public static List<String> singlePartitionExchangesOfRows(Dataset<?> query) {
    List<String> found = new ArrayList<>();
    visit(query.queryExecution().executedPlan(), found);
    return found;
  }

  private static void visit(SparkPlan plan, List<String> found) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      visit(adaptive.initialPlan(), found);
      return;
    }
    if (plan instanceof ShuffleExchangeLike && plan.outputPartitioning() == SinglePartition$.MODULE$
        && !(plan.children().head() instanceof BaseAggregateExec)) {
      found.add(plan.simpleString(200));
    }
    CollectionConverters.asJava(plan.children()).forEach(child -> visit(child, found));
  }
}
