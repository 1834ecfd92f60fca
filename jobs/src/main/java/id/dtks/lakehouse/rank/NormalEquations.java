package id.dtks.lakehouse.rank;

import id.dtks.lakehouse.rank.PmtFeatures.Feature;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Weighted least squares by its normal equations, summed in one pass: {@code X'WX}, {@code X'Wy},
 * {@code y'Wy} and the weight total, for the PMT design (an intercept plus one dummy per
 * non-baseline category). Sums add up across tasks and groups, so one aggregation gives every
 * province's equations and the nation's; fit and R² follow from the sums alone.
 */
final class NormalEquations implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The design's columns: the intercept, then (feature, category) for every non-baseline category. */
  static final List<Term> COLUMNS = columns();

  private final int size = COLUMNS.size();
  private final double[] xtx = new double[size * size];
  private final double[] xty = new double[size];
  private double yty;
  private long households;

  /** One design column: the intercept ({@code feature} null) or a category's dummy. */
  record Term(Feature feature, String category) implements Serializable {}

  private static List<Term> columns() {
    List<Term> columns = new ArrayList<>();
    columns.add(new Term(null, null));
    for (Feature feature : Feature.values()) {
      feature.categories().stream().skip(1).forEach(category -> columns.add(new Term(feature, category)));
    }
    return List.copyOf(columns);
  }

  /** The design columns set to 1 for a household with these categories (one per feature, in enum order). */
  static int[] activeColumns(String[] categories) {
    int[] active = new int[categories.length + 1];
    int count = 0;
    active[count++] = 0;
    int offset = 1;
    Feature[] features = Feature.values();
    for (int f = 0; f < features.length; f++) {
      int index = features[f].categories().indexOf(categories[f]);
      if (index < 0) {
        throw new IllegalArgumentException("Cannot calibrate: " + features[f].column() + " = '" + categories[f]
            + "' is not one of " + features[f].categories());
      }
      if (index > 0) {
        active[count++] = offset + index - 1;
      }
      offset += features[f].categories().size() - 1;
    }
    return java.util.Arrays.copyOf(active, count);
  }

  void add(int[] active, double y, double weight) {
    for (int i : active) {
      xty[i] += weight * y;
      for (int j : active) {
        xtx[i * size + j] += weight;
      }
    }
    yty += weight * y * y;
    households++;
  }

  NormalEquations plus(NormalEquations other) {
    for (int i = 0; i < xtx.length; i++) {
      xtx[i] += other.xtx[i];
    }
    for (int i = 0; i < size; i++) {
      xty[i] += other.xty[i];
    }
    yty += other.yty;
    households += other.households;
    return this;
  }

  long households() {
    return households;
  }

  /** The weight total: the intercept's diagonal. */
  double weight() {
    return xtx[0];
  }

  /**
   * Solves {@code (X'WX + penalty I) b = X'Wy + penalty prior}: least squares pulled towards
   * {@code prior} with strength {@code penalty} (in units of weight). A column no household has
   * gets the prior's value; with a small penalty and a zero prior, 0.
   */
  double[] solve(double penalty, double[] prior) {
    double[] a = xtx.clone();
    double[] b = xty.clone();
    for (int i = 0; i < size; i++) {
      a[i * size + i] += penalty;
      b[i] += penalty * prior[i];
    }
    return cholesky(a, b, size);
  }

  /** Weighted R² of {@code coefficients} on the households summed here. */
  double rSquared(double[] coefficients) {
    double total = totalSumOfSquares();
    return total > 0 ? 1 - residual(coefficients) / total : Double.NaN;
  }

  /** Weighted sum of squares around the weighted mean. */
  double totalSumOfSquares() {
    return xtx[0] > 0 ? yty - xty[0] * xty[0] / xtx[0] : 0;
  }

  /** Weighted sum of squared residuals of {@code coefficients}: y'Wy - 2 b'X'Wy + b'X'WXb. */
  double residual(double[] coefficients) {
    double fitted = 0;
    double cross = 0;
    for (int i = 0; i < size; i++) {
      cross += coefficients[i] * xty[i];
      double row = 0;
      for (int j = 0; j < size; j++) {
        row += xtx[i * size + j] * coefficients[j];
      }
      fitted += coefficients[i] * row;
    }
    return yty - 2 * cross + fitted;
  }

  /** Solves a symmetric positive-definite system in place (the penalty keeps it definite). */
  private static double[] cholesky(double[] a, double[] b, int n) {
    double[] lower = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i * n + j];
        for (int k = 0; k < j; k++) {
          sum -= lower[i * n + k] * lower[j * n + k];
        }
        if (i == j) {
          if (sum <= 0) {
            throw new IllegalStateException("Cannot calibrate: the normal equations are singular at column " + COLUMNS.get(i)
                + "; raise dtks.calibrate.shrinkage-households");
          }
          lower[i * n + i] = Math.sqrt(sum);
        } else {
          lower[i * n + j] = sum / lower[j * n + j];
        }
      }
    }
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= lower[i * n + k] * z[k];
      }
      z[i] = sum / lower[i * n + i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = z[i];
      for (int k = i + 1; k < n; k++) {
        sum -= lower[k * n + i] * x[k];
      }
      x[i] = sum / lower[i * n + i];
    }
    return x;
  }
}
