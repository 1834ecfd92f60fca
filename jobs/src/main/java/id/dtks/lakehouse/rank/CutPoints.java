package id.dtks.lakehouse.rank;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The 99 exact cut points of one ranking level, per group: cut point {@code k} is the last household
 * (in the order score, id) whose running sum of people stays within {@code k * N / 100}. A household's
 * percentile is then the first {@code k} whose cut point it does not pass, with no sort and no
 * running sum over the households themselves.
 *
 * <p>Why this is exact: {@code percentile = ceil(100 * cum / N) <= k} holds exactly when
 * {@code cum <= floor(k * N / 100)}, and {@code cum} only grows along the order, so the households
 * with percentile at most {@code k} are a prefix of the order, ending at cut point {@code k}.
 *
 * <p>A cut point is held as (bin, score, id). A cut whose prefix ends before the first household of
 * its bin has no key: every household of that bin is past it. A cut at or beyond the group's last
 * household takes everyone. Cut bins never decrease with {@code k}, so a household's percentile is
 * the first cut at or after its bin, found by a branch-free binary search, and only a household in
 * a cut's own bin (a few per cut) compares its score and id with the cut's.
 */
final class CutPoints implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int CUTS = 99;
  /** Slots per group: cuts 1 to 99, then cut 100 (everyone) and padding, a power of two for the search. */
  private static final int SLOTS = 128;
  /** The bin of a cut that takes everyone: after every household's bin. */
  private static final int AFTER_EVERY_BIN = Integer.MAX_VALUE;

  private final BinLayout layout;
  private final int[] bin;
  private final boolean[] hasKey;
  private final double[] score;
  private final long[] id;

  CutPoints(BinLayout layout) {
    this.layout = layout;
    int slots = layout.groups() * SLOTS;
    this.bin = new int[slots];
    Arrays.fill(bin, AFTER_EVERY_BIN);
    this.hasKey = new boolean[slots];
    this.score = new double[slots];
    this.id = new long[slots];
  }

  BinLayout layout() {
    return layout;
  }

  void setEveryone(int group, int k) {
    int s = slot(group, k);
    bin[s] = AFTER_EVERY_BIN;
    hasKey[s] = false;
  }

  void setBeforeBin(int group, int k, int cutBin) {
    int s = slot(group, k);
    bin[s] = cutBin;
    hasKey[s] = false;
  }

  void setKey(int group, int k, int cutBin, double cutScore, long cutId) {
    int s = slot(group, k);
    bin[s] = cutBin;
    hasKey[s] = true;
    score[s] = cutScore;
    id[s] = cutId;
  }

  /** The percentile (1 to 100) of a household of the group. */
  int percentile(int group, double householdScore, long householdId) {
    int householdBin = layout.bin(group, householdScore);
    int first = group * SLOTS;
    // The first cut whose bin is at or after the household's: seven halvings, no branch to mispredict.
    int base = first;
    for (int half = SLOTS / 2; half > 0; half >>>= 1) {
      base = bin[base + half - 1] < householdBin ? base + half : base;
    }
    // Inside the household's own bin, a cut without a key or with a smaller key is passed.
    while (bin[base] == householdBin && !(hasKey[base] && (householdScore < score[base]
        || householdScore == score[base] && householdId <= id[base]))) {
      base++;
    }
    return base - first + 1;
  }

  private static int slot(int group, int k) {
    return group * SLOTS + (k - 1);
  }
}
