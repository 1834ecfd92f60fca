package id.dtks.lakehouse.ingest;

/** A batch breaks the raw-export contract; nothing of it was written. */
public final class RawContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RawContractException(String message) {
    super(message);
  }

  public RawContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
