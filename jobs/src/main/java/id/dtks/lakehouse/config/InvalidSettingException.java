package id.dtks.lakehouse.config;

/** A setting has a value its rule does not allow; the message names the key, the value and the rule. */
public final class InvalidSettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidSettingException(String message) {
    super(message);
  }

  public InvalidSettingException(String message, Throwable cause) {
    super(message, cause);
  }
}
