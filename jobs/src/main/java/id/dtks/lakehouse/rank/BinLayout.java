package id.dtks.lakehouse.rank;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each household falls in the weighted histogram of one ranking level: its group (the whole
 * country, a province, a kabupaten/kota) and a bin of the score inside that group, as the histogram
 * pass left them: each group's bins are the {@link ScoreGrid} bins of one exponent, from the
 * group's lowest score to its highest.
 *
 * <p>The bin is a monotone function of the score (never decreasing as the score grows), which is all
 * the exact ranking needs: ordering by (bin, score, id) is ordering by (score, id). Widths only
 * decide how many households share a bin. The cut-point pass and the labelling pass compute the bin
 * with this one method, so they agree bit for bit.
 */
final class BinLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Integer> groupIndex;
  private final String[] keys;
  private final int[] exponent;
  private final long[] low;
  private final int[] bins;
  /** First cell of each group, within the level; one more entry holding the level's cell count. */
  private final int[] firstCell;

  private BinLayout(String[] keys, int[] exponent, long[] low, int[] bins) {
    this.keys = keys;
    this.exponent = exponent;
    this.low = low;
    this.bins = bins;
    this.groupIndex = new HashMap<>();
    this.firstCell = new int[bins.length + 1];
    for (int g = 0; g < bins.length; g++) {
      groupIndex.put(keys[g], g);
      firstCell[g + 1] = Math.addExact(firstCell[g], bins[g]);
    }
  }

  /** The layout of the merged histograms of one level's groups, in the order given. */
  static BinLayout of(List<String> keys, List<GroupHistogram> histograms) {
    int groups = keys.size();
    int[] exponent = new int[groups];
    long[] low = new long[groups];
    int[] bins = new int[groups];
    for (int g = 0; g < groups; g++) {
      GroupHistogram histogram = histograms.get(g);
      exponent[g] = histogram.exponent();
      low[g] = histogram.low();
      bins[g] = Math.max(1, histogram.counts().length);
    }
    return new BinLayout(keys.toArray(String[]::new), exponent, low, bins);
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

  String key(int group) {
    return keys[group];
  }

  /** The group of a key; the single group of an ungrouped level for a null key. Fails on an unknown key. */
  int group(String key) {
    if (bins.length == 1 && key == null) {
      return 0;
    }
    Integer g = groupIndex.get(key);
    if (g == null) {
      throw inputChanged("group '" + key + "' was not seen when the histogram was laid out");
    }
    return g;
  }

  /** The bin of a score within its group; fails on a score the histogram pass did not see. */
  int bin(int group, double score) {
    long bin = ScoreGrid.bin(score, exponent[group]) - low[group];
    if (bin < 0 || bin >= bins[group] || ScoreGrid.finestExponent(score) > exponent[group]) {
      throw inputChanged("score " + score + (keys[group] == null ? "" : " of group '" + keys[group] + "'")
          + " lies outside the scores the histogram saw");
    }
    return (int) bin;
  }

  /** The cell of a score within the level: the group's first cell plus the bin. */
  int cell(int group, double score) {
    return firstCell[group] + bin(group, score);
  }

  private static IllegalStateException inputChanged(String what) {
    return new IllegalStateException("Cannot rank: " + what + "; the households changed between the ranking's passes. "
        + "Rank a deterministic input: persist it or read a table version");
  }
}
