package id.dtks.lakehouse.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local file system without chmod and readlink processes does what Hadoop's own does. */
class InProcessLocalFileSystemTest {
  @TempDir
  java.nio.file.Path folder;

  private static Configuration configuration() {
    Configuration conf = new Configuration();
    InProcessLocalFileSystem.SPARK_SETTINGS.forEach((key, value) -> conf.set(key.substring("spark.hadoop.".length()), value));
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  @Test
  void modeBitsBecomeThePosixPermissionsTheyName() {
    assertThat(PosixFilePermissions.toString(InProcessLocalFileSystem.posix(0755))).isEqualTo("rwxr-xr-x");
    assertThat(PosixFilePermissions.toString(InProcessLocalFileSystem.posix(0640))).isEqualTo("rw-r-----");
    assertThat(InProcessLocalFileSystem.posix(0)).isEmpty();
  }

  @Test
  void createsFilesAndFoldersWithTheAskedPermissionsAndTheirChecksums() throws Exception {
    FileSystem fs = new Path(folder.toUri()).getFileSystem(configuration());
    assertThat(fs).isInstanceOf(InProcessLocalFileSystem.class);

    Path table = new Path(folder.toUri().toString(), "table");
    assertThat(fs.mkdirs(table, new FsPermission((short) 0750))).isTrue();
    Path file = new Path(table, "part-0.parquet");
    try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0640), false, 4096, (short) 1, 1 << 20, null)) {
      out.writeBytes("rows");
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("table")))).isEqualTo("rwxr-x---");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("table/part-0.parquet"))))
        .isEqualTo("rw-r-----");
    assertThat(folder.resolve("table/.part-0.parquet.crc")).exists();
    assertThat(Files.readString(folder.resolve("table/part-0.parquet"))).isEqualTo("rows");
  }

  @Test
  void fileContextRenamesAndGivesTheStatusOfFilesAndLinksAsHadoopDoes() throws Exception {
    FileContext context = FileContext.getFileContext(folder.toUri(), configuration());
    Path written = new Path(folder.toUri().toString(), ".00001.crc.tmp");
    try (FSDataOutputStream out = context.create(written, EnumSet.of(CreateFlag.CREATE))) {
      out.writeBytes("checksum");
    }
    Path target = new Path(folder.toUri().toString(), "00001.crc");
    context.rename(written, target, Options.Rename.NONE);
    Files.createSymbolicLink(folder.resolve("link"), folder.resolve("00001.crc"));
    Files.writeString(folder.resolve("again.tmp"), "other");
    assertThatThrownBy(() -> context.rename(new Path(folder.toUri().toString(), "again.tmp"), target, Options.Rename.NONE))
        .as("a rename never overwrites a commit's file").isInstanceOf(FileAlreadyExistsException.class);

    FileStatus file = context.getFileLinkStatus(target);
    FileStatus link = context.getFileLinkStatus(new Path(folder.toUri().toString(), "link"));

    assertThat(Files.readString(folder.resolve("00001.crc"))).isEqualTo("checksum");
    assertThat(folder.resolve(".00001.crc.tmp")).doesNotExist();
    assertThat(file.isFile()).isTrue();
    assertThat(file.isSymlink()).isFalse();
    assertThat(file.getLen()).isEqualTo(8);
    // A link is Hadoop's own answer: with symlinks off (Hadoop's default) the status of its target.
    assertThat(link.isSymlink()).isFalse();
    assertThat(link.isFile()).isTrue();
    assertThat(link.getLen()).isEqualTo(8);
  }
}
