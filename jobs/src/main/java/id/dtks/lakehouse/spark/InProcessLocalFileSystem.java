package id.dtks.lakehouse.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}), checksums and all, that sets permissions and tells
 * links from files inside the JVM. Without Hadoop's native library (which no Maven artifact
 * carries) the stock one starts a process for each of them: {@code chmod} for every file and
 * directory it creates, {@code readlink} for every link status a rename asks for. In the test suite
 * a third of the test threads' samples waited on such a process. Set as {@code fs.file.impl}, and
 * {@link ForFileContext} as {@code fs.AbstractFileSystem.file.impl}, in both environments'
 * settings ({@link #SPARK_SETTINGS}): only {@code file:} paths use it, never HDFS or object storage.
 */
public final class InProcessLocalFileSystem extends LocalFileSystem {
  /** The Spark settings that put it in place of Hadoop's for {@code file:} paths. */
  public static final Map<String, String> SPARK_SETTINGS = Map.of(
      "spark.hadoop.fs.file.impl", InProcessLocalFileSystem.class.getName(),
      "spark.hadoop.fs.AbstractFileSystem.file.impl", ForFileContext.class.getName());

  public InProcessLocalFileSystem() {
    super(new InProcessRawLocalFileSystem());
  }

  static final class InProcessRawLocalFileSystem extends RawLocalFileSystem {
    @Override
    public void setPermission(Path path, FsPermission permission) throws IOException {
      Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission.toShort()));
    }

    @Override
    public FileStatus getFileLinkStatus(Path path) throws IOException {
      // Only a link needs Hadoop's own answer (its target); anything else is its file status.
      if (Files.isSymbolicLink(pathToFile(path).toPath())) {
        return super.getFileLinkStatus(path);
      }
      return getFileStatus(path);
    }
  }

  /**
   * The same file system for Hadoop's FileContext API, through which Spark's checkpoint file manager
   * renames the checksum file Delta writes after every commit. As Hadoop's {@code LocalFs}.
   */
  public static final class ForFileContext extends ChecksumFs {
    public ForFileContext(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(new RawForFileContext(uri, conf));
    }
  }

  /** As Hadoop's {@code RawLocalFs}, over {@link InProcessRawLocalFileSystem}. */
  static final class RawForFileContext extends DelegateToFileSystem {
    RawForFileContext(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new InProcessRawLocalFileSystem(), conf, "file", false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }

    @Override
    @SuppressWarnings("deprecation") // as RawLocalFs
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public FsServerDefaults getServerDefaults(Path path) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      return true;
    }
  }

  /** The POSIX permissions of Unix mode bits ({@code 0755}: owner all, group and others read and execute). */
  static Set<PosixFilePermission> posix(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] byBit = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < byBit.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(byBit[bit]);
      }
    }
    return permissions;
  }
}
