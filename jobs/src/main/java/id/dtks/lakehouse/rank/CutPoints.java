package id.dtks.lakehouse.rank;

import java.io.Serializable;

/**
 * The 99 exact cut points of one ranking level, per group: cut point {@code k} is the last household
 * (in the order score, id) whose running sum of people stays within {@code k * N / 100}. A household's
 * percentile is then the first {@code k} whose cut point it does not pass: a binary search over 99
 * keys, with no sort and no running sum over the households themselves.
 *
 * <p>Why this is exact: {@code percentile = ceil(100 * cum / N) <= k} holds exactly when
 * {@code cum <= floor(k * N / 100)}, and {@code cum} only grows along the order, so the households
 * with percentile at most {@code k} are a prefix of the order, ending at cut point {@code k}.
 *
 * <p>A cut point is held as (bin, score, id). A cut whose prefix ends before the first household of
 * its bin has no key ({@link #NO_KEY}): every household of that bin is past it. A cut at or beyond
 * the group's last household is {@link #EVERYONE}.
 */
final class CutPoints implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int CUTS = 99;
  static final byte EVERYONE = 0;
  static final byte NO_KEY = 1;
  static final byte KEY = 2;

  private final BinLayout layout;
  private final byte[] kind;
  private final int[] bin;
  private final double[] score;
  private final long[] id;

  CutPoints(BinLayout layout) {
    this.layout = layout;
    int slots = layout.groups() * CUTS;
    this.kind = new byte[slots];
    this.bin = new int[slots];
    this.score = new double[slots];
    this.id = new long[slots];
  }

  BinLayout layout() {
    return layout;
  }

  void setEveryone(int group, int k) {
    kind[slot(group, k)] = EVERYONE;
  }

  void setBeforeBin(int group, int k, int cutBin) {
    int s = slot(group, k);
    kind[s] = NO_KEY;
    bin[s] = cutBin;
  }

  void setKey(int group, int k, int cutBin, double cutScore, long cutId) {
    int s = slot(group, k);
    kind[s] = KEY;
    bin[s] = cutBin;
    score[s] = cutScore;
    id[s] = cutId;
  }

  /** The percentile (1 to 100) of a household of the group, by binary search over the cut points. */
  int percentile(int group, double householdScore, long householdId) {
    int householdBin = layout.bin(group, householdScore);
    int low = 1;
    int high = CUTS + 1; // the 100th cut point takes everyone
    while (low < high) {
      int k = (low + high) >>> 1;
      if (within(slot(group, k), householdBin, householdScore, householdId)) {
        high = k;
      } else {
        low = k + 1;
      }
    }
    return low;
  }

  /** Whether the household is at or before the cut point in the order (bin, score, id). */
  private boolean within(int s, int householdBin, double householdScore, long householdId) {
    return switch (kind[s]) {
      case EVERYONE -> true;
      case NO_KEY -> householdBin < bin[s];
      default -> householdBin < bin[s] || householdBin == bin[s]
          && (householdScore < score[s] || householdScore == score[s] && householdId <= id[s]);
    };
  }

  private static int slot(int group, int k) {
    return group * CUTS + (k - 1);
  }
}
