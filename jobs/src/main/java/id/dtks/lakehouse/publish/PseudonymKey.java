package id.dtks.lakehouse.publish;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The secret key of the analyst tables' pseudonyms. It comes from the environment variable
 * {@value #ENVIRONMENT_VARIABLE}, never from a file in the repository or a settings file; without it
 * {@code publish} refuses to write analyst tables. The local demo alone uses {@link #demo()}, a key
 * that is printed in this source and therefore protects nothing, and says so.
 *
 * @param origin where the key came from, for the log (never the key itself)
 */
public record PseudonymKey(byte[] bytes, String origin) {
  public static final String ENVIRONMENT_VARIABLE = "DTKS_PSEUDONYM_KEY";
  /** 32 bytes: the HMAC-SHA-256 block of security; shorter keys are refused. */
  static final int MINIMUM_BYTES = 32;
  private static final String DEMO_KEY = "dtks-demo-only: a published throwaway key, never for real data";

  public PseudonymKey {
    if (bytes == null || bytes.length < MINIMUM_BYTES) {
      throw new IllegalArgumentException("The pseudonym key from " + origin + " has " + (bytes == null ? 0 : bytes.length)
          + " bytes; it needs at least " + MINIMUM_BYTES + " (e.g. 'openssl rand -hex 32')");
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The key of {@value #ENVIRONMENT_VARIABLE}, if it is set. */
  public static Optional<PseudonymKey> fromEnvironment(Map<String, String> environment) {
    String value = environment.get(ENVIRONMENT_VARIABLE);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new PseudonymKey(value.strip().getBytes(StandardCharsets.UTF_8), "environment variable " + ENVIRONMENT_VARIABLE));
  }

  /** The demo's throwaway key: fixed, so a re-run of the demo gives the same tables; public, so it hides nothing. */
  public static PseudonymKey demo() {
    return new PseudonymKey(DEMO_KEY.getBytes(StandardCharsets.UTF_8), "the demo's throwaway key (public: not for real data)");
  }

  @Override
  public String toString() {
    return "PseudonymKey[from " + origin + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PseudonymKey key && java.util.Arrays.equals(bytes, key.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }
}
