package id.dtks.lakehouse.rank;

import java.io.Serializable;
import java.util.Arrays;

/**
 * People per score bin of one group (the nation, a province, a kabupaten/kota), on the
 * {@link ScoreGrid} at the finest exponent that keeps the group's scores within {@code maxBins}
 * bins. It needs no score range in advance: a score outside the window moves the window, and a
 * range wider than {@code maxBins} bins coarsens every bin to the next power of two. Two histograms
 * of the same group, from two tasks, merge exactly.
 *
 * <p>Every household weighs at least one person, so the bins that hold households are exactly the
 * bins with a count above zero.
 */
final class GroupHistogram implements Serializable {
  private static final long serialVersionUID = 1L;
  /** No power of two puts a negative and a positive score in one bin: with two, any range fits. */
  static final int MIN_BINS = 2;

  private final int maxBins;
  private int exponent;
  /** The bin number of {@code counts[0]}. */
  private long low;
  /** People per bin; null until the first household. */
  private long[] counts;
  private long households;
  /** The bins {@link #cover} was asked to hold, at the current exponent, occupied or not. */
  private long coveredFrom = Long.MAX_VALUE;
  private long coveredTo = Long.MIN_VALUE;

  GroupHistogram(int maxBins) {
    if (maxBins < MIN_BINS) {
      throw new IllegalArgumentException("Cannot lay out a score histogram of " + maxBins + " bins: at least " + MIN_BINS
          + " are needed");
    }
    this.maxBins = maxBins;
  }

  /** Adds one household; the score must be finite and the weight at least 1. */
  void add(double score, long weight) {
    if (counts != null && ScoreGrid.finestExponent(score) <= exponent) {
      long index = ScoreGrid.bin(score, exponent) - low;
      if (index >= 0 && index < counts.length) {
        counts[(int) index] += weight;
        households++;
        return;
      }
    }
    cover(score);
    counts[(int) (ScoreGrid.bin(score, exponent) - low)] += weight;
    households++;
  }

  /**
   * Makes the window hold {@code score}'s bin, coarsening when the occupied range and the score do
   * not fit in {@code maxBins} bins. A task calls it with a chunk's lowest and highest score first,
   * so that the households in between need no check beyond the window's bounds.
   */
  void cover(double score) {
    if (counts == null) {
      exponent = ScoreGrid.finestExponent(score);
      long bin = ScoreGrid.bin(score, exponent);
      counts = new long[maxBins];
      low = bin - maxBins / 2;
      coveredFrom = bin;
      coveredTo = bin;
      return;
    }
    if (ScoreGrid.finestExponent(score) <= exponent) {
      long bin = ScoreGrid.bin(score, exponent);
      if (bin - low >= 0 && bin - low < counts.length) {
        coveredFrom = Math.min(coveredFrom, bin);
        coveredTo = Math.max(coveredTo, bin);
        return;
      }
    }
    // Rare: the window moves or coarsens, keeping every bin it holds or was asked to hold.
    long first = Math.min(firstOccupied(), coveredFrom);
    long last = Math.max(lastOccupied(), coveredTo);
    for (int target = Math.max(exponent, ScoreGrid.finestExponent(score)); ; target++) {
      int bits = target - exponent;
      long bin = ScoreGrid.bin(score, target);
      long from = Math.min(ScoreGrid.coarsen(first, bits), bin);
      long to = Math.max(ScoreGrid.coarsen(last, bits), bin);
      if (to - from < maxBins) {
        relayout(target, from, to, maxBins);
        coveredFrom = from;
        coveredTo = to;
        return;
      }
    }
  }

  /** Adds another task's histogram of the same group, coarsening both to a common exponent. */
  GroupHistogram plus(GroupHistogram other) {
    if (other.counts == null || other.households == 0) {
      return this;
    }
    if (counts == null || households == 0) {
      return other;
    }
    int target = Math.max(exponent, other.exponent);
    while (true) {
      long from = Math.min(ScoreGrid.coarsen(firstOccupied(), target - exponent),
          ScoreGrid.coarsen(other.firstOccupied(), target - other.exponent));
      long to = Math.max(ScoreGrid.coarsen(lastOccupied(), target - exponent),
          ScoreGrid.coarsen(other.lastOccupied(), target - other.exponent));
      if (to - from < maxBins) {
        relayout(target, from, to, (int) (to - from + 1));
        other.addTo(this);
        households += other.households;
        return this;
      }
      target++;
    }
  }

  /** Drops the empty bins at both ends: what a task sends to be merged. */
  GroupHistogram trimmed() {
    if (counts != null && households > 0) {
      long first = firstOccupied();
      long last = lastOccupied();
      if (first != low || last - low + 1 != counts.length) {
        relayout(exponent, first, last, (int) (last - first + 1));
      }
    }
    return this;
  }

  long households() {
    return households;
  }

  long people() {
    return counts == null ? 0 : Arrays.stream(counts).sum();
  }

  int exponent() {
    return exponent;
  }

  /** The bin number of the first bin held. */
  long low() {
    return low;
  }

  /** People per bin, from bin {@link #low()}; the caller must not change it. */
  long[] counts() {
    return counts == null ? new long[0] : counts;
  }

  /** Moves every count to a window of {@code size} bins at {@code newExponent} holding bins {@code from..to}. */
  private void relayout(int newExponent, long from, long to, int size) {
    long[] old = counts;
    long oldLow = low;
    int bits = newExponent - exponent;
    counts = new long[size];
    exponent = newExponent;
    if (coveredFrom <= coveredTo) {
      coveredFrom = ScoreGrid.coarsen(coveredFrom, bits);
      coveredTo = ScoreGrid.coarsen(coveredTo, bits);
    }
    low = from - (size - (to - from + 1)) / 2;
    for (int i = 0; i < old.length; i++) {
      if (old[i] != 0) {
        counts[(int) (ScoreGrid.coarsen(oldLow + i, bits) - low)] += old[i];
      }
    }
  }

  private void addTo(GroupHistogram target) {
    int bits = target.exponent - exponent;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        target.counts[(int) (ScoreGrid.coarsen(low + i, bits) - target.low)] += counts[i];
      }
    }
  }

  /** The first bin number holding households (greater than {@link #lastOccupied()} when none does). */
  private long firstOccupied() {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        return low + i;
      }
    }
    return Long.MAX_VALUE;
  }

  private long lastOccupied() {
    for (int i = counts.length - 1; i >= 0; i--) {
      if (counts[i] != 0) {
        return low + i;
      }
    }
    return Long.MIN_VALUE;
  }
}
