package id.dtks.lakehouse.rank;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each household falls in the weighted histogram of one ranking level: its group (the
 * whole country, a province, a kabupaten/kota) and a bin of the score inside that group.
 *
 * <p>Bins split each group's score range into equal widths. The bin is a monotone function of the
 * score (never decreasing as the score grows), which is all the exact ranking needs: ordering by
 * (bin, score, id) is ordering by (score, id). Widths only decide how many households share a bin.
 * The histogram pass and the labelling pass compute the bin with this one method, so they agree bit
 * for bit.
 */
final class BinLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Integer> groupIndex;
  private final double[] minimum;
  private final double[] scale;
  private final int[] bins;
  /** First cell of each group, within the level; one more entry holding the level's cell count. */
  private final int[] firstCell;

  private BinLayout(Map<String, Integer> groupIndex, double[] minimum, double[] scale, int[] bins) {
    this.groupIndex = groupIndex;
    this.minimum = minimum;
    this.scale = scale;
    this.bins = bins;
    this.firstCell = new int[bins.length + 1];
    for (int g = 0; g < bins.length; g++) {
      firstCell[g + 1] = Math.addExact(firstCell[g], bins[g]);
    }
  }

  /** Lays out the bins of {@code groups}, about {@code rowsPerBin} households per bin. */
  static BinLayout of(List<GroupStats> groups, long rowsPerBin) {
    Map<String, Integer> index = new HashMap<>();
    double[] minimum = new double[groups.size()];
    double[] scale = new double[groups.size()];
    int[] bins = new int[groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      GroupStats group = groups.get(g);
      index.put(group.key(), g);
      bins[g] = (int) Math.max(1, Math.min(1 << 24, (group.households() + rowsPerBin - 1) / rowsPerBin));
      minimum[g] = group.minimumScore();
      double range = group.maximumScore() - group.minimumScore();
      // A group whose scores are all equal has one bin; otherwise the maximum score lands in the last.
      scale[g] = range > 0 && bins[g] > 1 ? bins[g] / range : 0;
    }
    return new BinLayout(index, minimum, scale, bins);
  }

  int groups() {
    return bins.length;
  }

  int cells() {
    return firstCell[bins.length];
  }

  int bins(int group) {
    return bins[group];
  }

  int firstCell(int group) {
    return firstCell[group];
  }

  /** The group of a key; the single group of an ungrouped level for a null key. Fails on an unknown key. */
  int group(String key) {
    if (bins.length == 1 && key == null) {
      return 0;
    }
    Integer g = groupIndex.get(key);
    if (g == null) {
      throw new IllegalStateException("Cannot rank: group '" + key + "' was not seen when the histogram was laid out");
    }
    return g;
  }

  int bin(int group, double score) {
    int bin = (int) ((score - minimum[group]) * scale[group]);
    return Math.min(Math.max(bin, 0), bins[group] - 1);
  }

  /** The cell of a score within the level: the group's first cell plus the bin. */
  int cell(int group, double score) {
    return firstCell[group] + bin(group, score);
  }

  /** Households, weight and score range of one group, from the statistics pass. */
  record GroupStats(String key, long households, long weight, double minimumScore, double maximumScore)
      implements Serializable {
    GroupStats plus(GroupStats other) {
      return new GroupStats(key, households + other.households, weight + other.weight,
          Math.min(minimumScore, other.minimumScore), Math.max(maximumScore, other.maximumScore));
    }
  }
}
