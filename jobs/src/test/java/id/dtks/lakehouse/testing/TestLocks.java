package id.dtks.lakehouse.testing;

/**
 * Names for JUnit's {@code @ResourceLock}: surefire runs two test classes at a time (jobs/pom.xml),
 * and the classes that share one of {@link TestLakehouse}'s lakehouses, and write into it or read
 * what another writes, hold its lock so that they never overlap.
 */
public final class TestLocks {
  /** {@link TestLakehouse#publishedPeriods()}: publish runs again into it; notebooks and the dashboard read it. */
  public static final String PUBLISHED_PERIODS = "lakehouse published-periods";
  /** {@link TestLakehouse#rankedPeriod()}: coverage and prelist write their tables into it. */
  public static final String RANKED_PERIOD = "lakehouse ranked-period";
  /** {@link TestLakehouse#withReference()}: its ref layer is loaded again by one test and read by others. */
  public static final String SHARED_REFERENCE = "lakehouse shared-reference";

  private TestLocks() {}
}
