package id.dtks.lakehouse.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The power-of-two score grid and the histograms that tasks fill on it and merge. */
class GroupHistogramTest {

  @Test
  void aBinIsTheExactFloorOfTheScoreOverAPowerOfTwo() {
    SplittableRandom random = new SplittableRandom(1);
    double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1.0, -1.0,
        0.5, -0.5, 12.875, -12.875, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, -3e-310};
    List<Double> scores = new ArrayList<>();
    for (double s : special) {
      scores.add(s);
    }
    for (int i = 0; i < 2_000; i++) {
      scores.add(Double.longBitsToDouble(random.nextLong()));
      scores.add((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-30, 30)));
    }
    for (double score : scores) {
      if (!Double.isFinite(score)) {
        continue;
      }
      int finest = ScoreGrid.finestExponent(score);
      for (int exponent : new int[] {finest, finest + 1, finest + 9, finest + 52, finest + 70, finest + 200}) {
        assertThat(ScoreGrid.bin(score, exponent)).as("bin of %s at 2^%d", score, exponent).isEqualTo(exactFloor(score, exponent));
      }
      assertThat(Math.abs(ScoreGrid.bin(score, finest))).as("bin of %s at its finest exponent", score).isLessThan(1L << 61);
    }
  }

  @Test
  void coarseningABinIsBinningAtTheCoarserExponent() {
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 20_000; i++) {
      double score = (random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(-60, 60));
      int exponent = ScoreGrid.finestExponent(score) + random.nextInt(0, 40);
      int bits = random.nextInt(0, 90);
      assertThat(ScoreGrid.coarsen(ScoreGrid.bin(score, exponent), bits)).isEqualTo(ScoreGrid.bin(score, exponent + bits));
    }
  }

  @ParameterizedTest(name = "scores drawn as {0}")
  @ValueSource(strings = {"ties", "spread", "around zero", "wide magnitudes", "ascending"})
  void tasksMergeIntoTheHistogramOfAllTheirHouseholds(String shape) {
    SplittableRandom random = new SplittableRandom(shape.hashCode());
    int maxBins = 1000;
    double[] ascending = {-5.0};
    DoubleSupplier draw = switch (shape) {
      case "ties" -> () -> random.nextInt(40) * 0.25 - 3;
      case "spread" -> () -> 10 + random.nextGaussian();
      case "around zero" -> () -> random.nextGaussian() * 1e-3;
      case "wide magnitudes" -> () -> (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextInt(-200, 200)) * random.nextDouble();
      default -> () -> ascending[0] += random.nextDouble();
    };
    double[] scores = new double[30_000];
    long[] weights = new long[scores.length];
    List<GroupHistogram> tasks = new ArrayList<>();
    for (int t = 0; t < 7; t++) {
      tasks.add(new GroupHistogram(maxBins));
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = draw.getAsDouble();
      weights[i] = 1 + random.nextInt(12);
      tasks.get(random.nextInt(tasks.size())).add(scores[i], weights[i]);
    }

    GroupHistogram merged = tasks.stream().map(GroupHistogram::trimmed).reduce(GroupHistogram::plus).orElseThrow();

    long[] expected = new long[merged.counts().length];
    long people = 0;
    for (int i = 0; i < scores.length; i++) {
      long bin = ScoreGrid.bin(scores[i], merged.exponent()) - merged.low();
      assertThat(bin).as("bin of %s", scores[i]).isBetween(0L, (long) expected.length - 1);
      expected[(int) bin] += weights[i];
      people += weights[i];
    }
    assertThat(merged.counts()).containsExactly(expected);
    assertThat(merged.counts().length).isLessThanOrEqualTo(maxBins);
    assertThat(merged.households()).isEqualTo(scores.length);
    assertThat(merged.people()).isEqualTo(people);
    if (!shape.equals("ties")) {
      // The grid is as fine as the range allows: one exponent finer would not fit in the bins.
      double lowest = Arrays.stream(scores).min().orElseThrow();
      double highest = Arrays.stream(scores).max().orElseThrow();
      assertThat(ScoreGrid.bin(highest, merged.exponent() - 1) - ScoreGrid.bin(lowest, merged.exponent() - 1))
          .isGreaterThanOrEqualTo(maxBins / 2);
    }
  }

  private static long exactFloor(double score, int exponent) {
    BigDecimal value = new BigDecimal(score);
    BigDecimal scaled = exponent >= 0 ? value.divide(new BigDecimal(BigInteger.TWO.pow(exponent)))
        : value.multiply(new BigDecimal(BigInteger.TWO.pow(-exponent)));
    return scaled.setScale(0, RoundingMode.FLOOR).longValueExact();
  }
}
