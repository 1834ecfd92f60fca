package id.dtks.lakehouse.rank;

/**
 * The bins every pass of the ranking puts a score in: bin {@code k} of exponent {@code e} holds the
 * scores in {@code [k * 2^e, (k + 1) * 2^e)}. The grid is fixed by the number system, not by the
 * data, so a task can bin its households before anyone knows the score range, and two tasks' bins
 * line up: coarsening from {@code e} to {@code e + d} maps bin {@code k} to {@code k >> d}, exactly.
 *
 * <p>The bin is computed from the double's bits with integer shifts, never by a floating-point
 * division, so it is exact for every finite double (subnormals and -0.0 included) and the same on
 * every machine: {@code floor(score / 2^e)}.
 */
final class ScoreGrid {
  /**
   * How far left a mantissa may be shifted: with 53 significant bits the bin stays below 2^61 in
   * magnitude, so a difference of two bins never overflows a long.
   */
  static final int MAX_LEFT_SHIFT = 8;
  private static final long MANTISSA = (1L << 52) - 1;

  private ScoreGrid() {}

  /** {@code floor(score / 2^exponent)}, for a finite score and an exponent at or above {@link #finestExponent}. */
  static long bin(double score, int exponent) {
    long bits = Double.doubleToRawLongBits(score);
    int biased = (int) (bits >>> 52) & 0x7ff;
    long mantissa = bits & MANTISSA;
    int scale;
    if (biased == 0) {
      scale = -1074;
    } else {
      mantissa |= 1L << 52;
      scale = biased - 1075;
    }
    long signed = bits < 0 ? -mantissa : mantissa;
    int shift = scale - exponent;
    if (shift >= 0) {
      return signed << shift;
    }
    // An arithmetic shift right is floor division by a power of two, negative values included.
    return shift <= -63 ? (signed < 0 ? -1 : 0) : signed >> -shift;
  }

  /** The smallest exponent at which {@link #bin} of this score fits the grid's range. */
  static int finestExponent(double score) {
    int biased = (int) (Double.doubleToRawLongBits(score) >>> 52) & 0x7ff;
    return (biased == 0 ? -1074 : biased - 1075) - MAX_LEFT_SHIFT;
  }

  /** {@code floor(bin / 2^bits)}: the bin at an exponent {@code bits} coarser. */
  static long coarsen(long bin, int bits) {
    return bits >= 63 ? (bin < 0 ? -1 : 0) : bin >> bits;
  }
}
