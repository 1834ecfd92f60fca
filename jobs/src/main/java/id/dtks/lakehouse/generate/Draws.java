package id.dtks.lakehouse.generate;

import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Random draws as pure functions of a seed, a salt naming the draw, and row keys. Unlike
 * {@code rand(seed)}, whose values depend on how rows are split into partitions, these give every
 * row the same value on any cluster and any partition count.
 */
final class Draws {
  private static final double TWO_TO_53 = 9007199254740992.0;

  private final long seed;

  Draws(long seed) {
    this.seed = seed;
  }

  /** Uniform in [0, 1). */
  Column uniform(String salt, Column... keys) {
    List<Column> inputs = new ArrayList<>();
    inputs.add(lit(seed));
    inputs.add(lit(salt));
    inputs.addAll(List.of(keys));
    Column hash = xxhash64(inputs.toArray(Column[]::new));
    return shiftrightunsigned(hash, 11).cast("double").divide(TWO_TO_53);
  }

  /** Standard normal (Box-Muller over two independent uniforms). */
  Column normal(String salt, Column... keys) {
    Column u1 = lit(1.0).minus(uniform(salt + "#1", keys));
    Column u2 = uniform(salt + "#2", keys);
    return sqrt(log(u1).multiply(-2.0)).multiply(cos(u2.multiply(2 * Math.PI)));
  }

  /** Whole number in [0, bound). */
  Column below(long bound, String salt, Column... keys) {
    return uniform(salt, keys).multiply(bound).cast("long");
  }

  /** One of {@code labels}, each equally likely, for a uniform {@code u}. */
  static Column pickOf(Column u, String[] labels) {
    return org.apache.spark.sql.functions.element_at(
        lit(labels), u.multiply(labels.length).cast("int").plus(1));
  }

  /** The label whose share bucket {@code u} (uniform) falls in; shares add up to 1. */
  static Column pick(Column u, double[] shares, String[] labels) {
    return pickBy(u, cumulative(shares), labels);
  }

  /**
   * The label of the bucket a normally distributed latent falls in, with thresholds put at the
   * latent's quantiles so that each label gets its share of rows (before the latent's shift).
   */
  static Column level(Column latent, double latentSd, double[] shares, String[] labels) {
    double[] cumulative = cumulative(shares);
    double[] thresholds = new double[cumulative.length];
    for (int i = 0; i < cumulative.length; i++) {
      thresholds[i] = cumulative[i] >= 1.0 ? Double.POSITIVE_INFINITY : latentSd * inverseNormal(cumulative[i]);
    }
    return pickBy(latent, thresholds, labels);
  }

  private static Column pickBy(Column value, double[] upperBounds, String[] labels) {
    if (upperBounds.length != labels.length) {
      throw new IllegalArgumentException("Cannot pick a label: " + upperBounds.length + " shares for " + labels.length + " labels");
    }
    Column chosen = null;
    for (int i = 0; i < labels.length - 1; i++) {
      chosen = chosen == null ? when(value.lt(upperBounds[i]), labels[i]) : chosen.when(value.lt(upperBounds[i]), labels[i]);
    }
    return chosen == null ? lit(labels[0]) : chosen.otherwise(labels[labels.length - 1]);
  }

  private static double[] cumulative(double[] shares) {
    double[] cumulative = new double[shares.length];
    double sum = 0;
    for (int i = 0; i < shares.length; i++) {
      sum += shares[i];
      cumulative[i] = sum;
    }
    if (Math.abs(sum - 1.0) > 1e-9) {
      throw new IllegalArgumentException("Cannot pick a label: the shares add up to " + sum + ", not 1");
    }
    cumulative[shares.length - 1] = 1.0;
    return cumulative;
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
  static double inverseNormal(double p) {
    if (p <= 0 || p >= 1) {
      throw new IllegalArgumentException("Cannot take the normal quantile of " + p + ": must be in (0, 1)");
    }
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      return -inverseNormal(1 - p);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
