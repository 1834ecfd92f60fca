package id.dtks.lakehouse.lakehouse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files the jobs export for dashboard tools and people (CSV, JSON, HTML), written through Hadoop's
 * file system so an export folder may be local, {@code hdfs://} or {@code s3a://}.
 */
public final class ExportFiles {
  private ExportFiles() {}

  /**
   * Writes {@code content} to {@code target}, first beside it and then renamed over it, so a reader
   * never sees half a file and a failed write leaves the previous file.
   */
  public static void writeAtomically(Configuration hadoop, String target, byte[] content) {
    Path path = new Path(target);
    Path partial = new Path(target + ".partial");
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      try (OutputStream out = fs.create(partial, true)) {
        out.write(content);
      }
      if (fs.exists(path) && !fs.delete(path, false)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(partial, path)) {
        throw new IOException("cannot rename " + partial + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the export " + target + ": " + e.getMessage(), e);
    }
  }
}
