package id.dtks.lakehouse.rank;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One ranking level's cut points, as the object Spark's generated code calls for every household
 * ({@link id.dtks.lakehouse.spark.ObjectCalls}): public, with primitive parameters, so the labelling
 * pass neither boxes nor converts a value.
 */
public final class PercentileLabels implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CutPoints cuts;
  /** Group keys as Spark passes them, looked up without making a Java string per row; built on first use. */
  private transient Map<UTF8String, Integer> groups;

  PercentileLabels(CutPoints cuts) {
    this.cuts = cuts;
  }

  /** The percentile of a household of an ungrouped level (the nation). */
  public int percentile(double score, long id) {
    return cuts.percentile(0, score + 0.0, id);
  }

  /** The percentile of a household within its group (a province, a kabupaten/kota). */
  public int percentile(UTF8String group, double score, long id) {
    if (groups == null) {
      groups = new HashMap<>();
    }
    Integer index = groups.get(group);
    if (index == null) {
      index = cuts.layout().group(group.toString());
      groups.put(group.clone(), index);
    }
    return cuts.percentile(index, score + 0.0, id);
  }
}
