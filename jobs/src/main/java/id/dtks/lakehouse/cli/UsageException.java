package id.dtks.lakehouse.cli;

/** The command line is wrong (unknown job or option, missing or bad value); exit code 2. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
