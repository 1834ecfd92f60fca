import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts the Java notebook kernel (rapaio-jupyter-kernel 3.0.1) as its own main class does, with one
 * race closed. The kernel binds its sockets, then announces itself and only then creates its table of
 * message handlers; a kernel_info_request that reaches the shell socket in between finds no table,
 * the shell thread dies of a NullPointerException ("Cannot invoke Map.get because this.handlers is
 * null"), and Jupyter waits in vain ("Kernel didn't respond"); seen on a busy machine. Giving the
 * channels an empty table before they bind turns that early request into one the kernel drops, and
 * Jupyter asks again a second later. (The kernel has a second way to fail at start, without an
 * exception, that this does not cure: scripts/notebooks execute starts a new kernel then.)
 *
 * <p>Compiled and run by scripts/notebooks (the kernel spec's argv): {@code NotebookKernel CONNECTION_FILE}.
 */
public final class NotebookKernel {
  private NotebookKernel() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      throw new IllegalArgumentException("Usage: NotebookKernel CONNECTION_FILE (the file Jupyter passes as {connection_file})");
    }
    LogManager.getLogManager().readConfiguration(MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
    ConnectionProperties connection = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
    if (!"tcp".equals(connection.transport())) {
      throw new IllegalArgumentException("Cannot start the notebook kernel: transport '" + connection.transport()
          + "' in " + args[0] + "; the kernel speaks tcp only");
    }
    // The kernel (its JShell) first, before any socket exists, as the kernel's own main has it.
    RapaioKernel kernel = MainApp.kernel;
    Channels channels = new Channels(connection);
    Field handlers = Channels.class.getDeclaredField("handlers");
    handlers.setAccessible(true);
    handlers.set(channels, new HashMap<>());
    channels.connect(kernel);
    channels.joinUntilClose();
  }
}
