package id.dtks.lakehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The build's version, filtered into {@code dtks/build.properties} by Maven; stored with every publication. */
public final class BuildInfo {
  private static final String VERSION = readVersion();

  private BuildInfo() {}

  public static String version() {
    return VERSION;
  }

  private static String readVersion() {
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream("dtks/build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read dtks/build.properties from the class path", e);
    }
  }
}
