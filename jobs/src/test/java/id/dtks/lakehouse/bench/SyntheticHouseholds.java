package id.dtks.lakehouse.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The ranking benchmark's input: {@code households} rows of (id_rt BIGINT, skor DOUBLE,
 * jumlah_anggota INT) as parquet, the same on every run. Every column is a hash of the row number
 * (no {@code rand()}), so two runs, or two machines, rank the same households.
 *
 * <ul>
 *   <li>id_rt: a bijective scramble of the row number, so the files are in neither id nor score order;
 *   <li>skor: the mean of four uniform hashes (close to normal on 0..1), rounded to 4 decimals:
 *       about 10,000 distinct values, so households tie on the score in the thousands and the
 *       tie-break by id decides many ranks;
 *   <li>jumlah_anggota: 1 to 12 people, mostly 2 to 5, a long tail (mean about 3.7).
 * </ul>
 *
 * <p>The input is generated once per scale; a marker file next to it records the rows, the people
 * and the generator version, and a run with a matching marker reuses the files.
 */
final class SyntheticHouseholds {
  /** Bump when the columns change, so older inputs are generated again rather than reused. */
  private static final String GENERATOR_VERSION = "1";

  /** Odd, so multiplying by it is a bijection modulo 2^40; small enough that row * multiplier never overflows. */
  private static final long ID_MULTIPLIER = 5_851_379L;
  private static final long ID_MODULUS = 1L << 40;
  private static final long ID_OFFSET = 3_200_000_000_000L;

  /** Where the input is and what it holds: {@code people} is N, the sum of household sizes. */
  record Input(Path parquet, long households, long people, boolean generated, double generateSeconds) {}

  private SyntheticHouseholds() {}

  /** The input of {@code households} rows under {@code scaleDir}/input, generated unless a matching one exists. */
  static Input prepare(SparkSession spark, Path scaleDir, long households) {
    if (households < 1 || households >= ID_MODULUS) {
      throw new IllegalArgumentException("Cannot generate " + households + " households: the scale must be 1 to " + (ID_MODULUS - 1));
    }
    Path parquet = scaleDir.resolve("input");
    Path marker = scaleDir.resolve("input.properties");
    Properties recorded = read(marker);
    if (GENERATOR_VERSION.equals(recorded.getProperty("generator"))
        && String.valueOf(households).equals(recorded.getProperty("households"))
        && Files.isDirectory(parquet)) {
      return new Input(parquet, households, Long.parseLong(recorded.getProperty("people")), false, 0);
    }

    long start = System.nanoTime();
    spark.sparkContext().setJobDescription("generate " + households + " households");
    try {
      // Drop the marker first: a run that dies while writing must not leave a marker for partial files.
      Files.deleteIfExists(marker);
      spark.range(0, households, 1, files(households))
          .select(col("id"), expr(uniform(1)).as("u1"), expr(uniform(2)).as("u2"), expr(uniform(3)).as("u3"),
              expr(uniform(4)).as("u4"), expr(uniform(5)).as("u5"))
          .select(
              expr(ID_OFFSET + " + (id * " + ID_MULTIPLIER + ") % " + ID_MODULUS).as("id_rt"),
              expr("round((u1 + u2 + u3 + u4) / 4, 4)").as("skor"),
              expr(householdSize("u5")).as("jumlah_anggota"))
          .write().mode(SaveMode.Overwrite).parquet(parquet.toString());

      Row written = spark.read().parquet(parquet.toString())
          .agg(count(lit(1)), sum("jumlah_anggota"), expr("count(distinct id_rt)")).first();
      if (written.getLong(0) != households || written.getLong(2) != households) {
        throw new IllegalStateException("Generated " + parquet + " holds " + written.getLong(0) + " rows and "
            + written.getLong(2) + " distinct id_rt, expected " + households + " of each");
      }
      long people = written.getLong(1);
      Properties properties = new Properties();
      properties.setProperty("generator", GENERATOR_VERSION);
      properties.setProperty("households", String.valueOf(households));
      properties.setProperty("people", String.valueOf(people));
      try (OutputStream out = Files.newOutputStream(marker)) {
        properties.store(out, "ranking benchmark input " + parquet + "; delete this file to generate it again");
      }
      return new Input(parquet, households, people, true, (System.nanoTime() - start) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the input marker " + marker, e);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** About 8 to 16 files: enough tasks for every core at any scale, not thousands of small files. */
  private static int files(long households) {
    return (int) Math.min(16, Math.max(8, households / 4_000_000));
  }

  /** A uniform double in [0, 1) from the top 53 bits of a 64-bit hash of the row number and a stream number. */
  private static String uniform(int stream) {
    return "(shiftrightunsigned(xxhash64(id, " + stream + "), 11) * " + Math.scalb(1.0, -53) + ")";
  }

  /** People per household from a uniform column: cumulative shares for sizes 1 to 11, the rest size 12. */
  private static String householdSize(String uniform) {
    double[] cumulative = {0.08, 0.26, 0.50, 0.72, 0.86, 0.93, 0.965, 0.982, 0.991, 0.9955, 0.998};
    StringBuilder sql = new StringBuilder("case");
    for (int size = 1; size <= cumulative.length; size++) {
      sql.append(" when ").append(uniform).append(" < ").append(cumulative[size - 1]).append(" then ").append(size);
    }
    return sql.append(" else 12 end").toString();
  }

  private static Properties read(Path marker) {
    Properties properties = new Properties();
    if (Files.isRegularFile(marker)) {
      try (InputStream in = Files.newInputStream(marker)) {
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the input marker " + marker, e);
      }
    }
    return properties;
  }
}
