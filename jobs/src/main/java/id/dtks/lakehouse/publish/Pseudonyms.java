package id.dtks.lakehouse.publish;

import id.dtks.lakehouse.spark.ObjectCalls;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Keyed pseudonyms for identity numbers in analyst tables: HMAC-SHA-256 of the number under a
 * secret key, as 64 hex digits. The same number gives the same pseudonym in every period under one
 * key, so analysts can follow a person across months and count duplicates, and without the key
 * nobody can go back from a pseudonym to the NIK (a plain hash of a 16-digit number with known
 * structure would be reversed by trying them all).
 *
 * <p>The key travels with the query plan to the executors, as any secret a Spark job uses; it is
 * never written to a table, a log or a file.
 */
public final class Pseudonyms implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] key;
  /** One Mac per executor thread: a Mac is not thread-safe, and building one per row would be slow. */
  private transient ThreadLocal<Mac> macs;

  public Pseudonyms(PseudonymKey key) {
    this.key = key.bytes();
  }

  /** The pseudonym column of {@code value}; null stays null. */
  public Column of(Column value) {
    return ObjectCalls.callOrNull(this, "pseudonym", DataTypes.StringType, value.cast(DataTypes.StringType));
  }

  /** The pseudonym of one value: called by Spark's generated code for every row. */
  public UTF8String pseudonym(UTF8String value) {
    return UTF8String.fromString(pseudonym(value.toString()));
  }

  /** The pseudonym of one value, 64 lower-case hex digits. */
  public String pseudonym(String value) {
    if (macs == null) {
      macs = ThreadLocal.withInitial(this::newMac);
    }
    return HexFormat.of().formatHex(macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot set up " + ALGORITHM + " for pseudonyms: " + e.getMessage(), e);
    }
  }
}
