package id.dtks.lakehouse.cli;

import id.dtks.lakehouse.config.InvalidSettingException;
import id.dtks.lakehouse.conform.ConformCommand;
import id.dtks.lakehouse.coverage.CoverageCommand;
import id.dtks.lakehouse.config.SettingsLoader;
import id.dtks.lakehouse.generate.GenerateCommand;
import id.dtks.lakehouse.ingest.IngestCommand;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.pipeline.DemoCommand;
import id.dtks.lakehouse.pipeline.PipelineCommand;
import id.dtks.lakehouse.prelist.PrelistCommand;
import id.dtks.lakehouse.publish.ChangesCommand;
import id.dtks.lakehouse.publish.PublishCommand;
import id.dtks.lakehouse.rank.CalibrateCommand;
import id.dtks.lakehouse.rank.RankCommand;
import id.dtks.lakehouse.reference.ReferenceCommand;
import id.dtks.lakehouse.spark.Progress;
import id.dtks.lakehouse.spark.SparkSessions;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point of every job: {@code dtks <job> [options]}, locally through scripts/dtks and
 * on a cluster through spark-submit with this class as {@code --class}. Exit codes: 0 done, 1 the
 * job failed, 2 the command line or the settings are wrong (nothing was run).
 */
public final class Dtks {
  private static final Logger LOG = LoggerFactory.getLogger("dtks");
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, Command> commands = new LinkedHashMap<>();

  public Dtks(PrintStream out, PrintStream err, List<Command> commands) {
    this.out = out;
    this.err = err;
    commands.forEach(c -> this.commands.put(c.name(), c));
  }

  /** Every job, in pipeline order. */
  public static List<Command> allCommands() {
    return List.of(new DemoCommand(), new ReferenceCommand(), new GenerateCommand(), new IngestCommand(), new ConformCommand(),
        new CalibrateCommand(), new RankCommand(), new CoverageCommand(), new PublishCommand(), new PrelistCommand(),
        new PipelineCommand(), new ChangesCommand());
  }

  public static void main(String[] arguments) {
    int exitCode = new Dtks(System.out, System.err, allCommands()).run(arguments);
    if (exitCode != OK) {
      System.exit(exitCode);
    }
  }

  public int run(String... arguments) {
    if (arguments.length == 0) {
      err.print(usage());
      return USAGE;
    }
    String jobName = arguments[0];
    if (List.of("--help", "-h", "help").contains(jobName)) {
      out.print(usage());
      return OK;
    }
    Command command = commands.get(jobName);
    if (command == null) {
      err.println("dtks: unknown job '" + jobName + "'. Jobs: " + String.join(", ", commands.keySet())
          + ". Run 'dtks --help' for what each does.");
      return USAGE;
    }

    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(jobName, command.options(), Arrays.asList(arguments).subList(1, arguments.length));
      if (commandLine.help()) {
        out.print(help(command));
        return OK;
      }
      command.check(commandLine);
    } catch (UsageException e) {
      err.println("dtks " + jobName + ": " + e.getMessage());
      err.println("Run 'dtks " + jobName + " --help' for its options.");
      return USAGE;
    }

    SettingsLoader.Loaded loaded;
    try {
      loaded = SettingsLoader.load(commandLine.configFile());
    } catch (InvalidSettingException e) {
      err.println("dtks " + jobName + ": " + e.getMessage());
      return USAGE;
    }
    LOG.info("[{}] DTKS Lakehouse {}, environment '{}', settings {}", jobName, BuildInfo.version(),
        loaded.settings().environment(), loaded.origin());
    loaded.effective().forEach((key, value) -> LOG.info("[{}]   {} = {}", jobName, key, value));

    SparkSession spark;
    try {
      spark = SparkSessions.create(loaded.settings().spark());
    } catch (IllegalStateException e) {
      err.println("dtks " + jobName + ": " + e.getMessage());
      return USAGE;
    }
    Progress progress = new Progress(spark, jobName);
    try {
      command.run(new JobContext(loaded.settings(), spark, new Lakehouse(loaded.settings().lakehouse()), progress, out),
          commandLine);
      progress.info("finished in %s", Progress.seconds(progress.elapsed()));
      return OK;
    } catch (UsageException e) {
      err.println("dtks " + jobName + ": " + e.getMessage());
      return USAGE;
    } catch (Exception e) { // Scala code throws checked exceptions (IOException) undeclared
      LOG.error("[" + jobName + "] failed", e);
      err.println("dtks " + jobName + " failed: " + e.getMessage());
      return FAILED;
    } finally {
      spark.stop();
    }
  }

  String usage() {
    StringBuilder text = new StringBuilder();
    text.append("DTKS Lakehouse ").append(BuildInfo.version()).append(": Spark jobs for the social welfare registry.\n\n");
    text.append("Usage: dtks <job> [options]      (dtks <job> --help for a job's options)\n\nJobs:\n");
    commands.values().forEach(c -> text.append(String.format("  %-12s %s%n", c.name(), c.summary())));
    text.append("\nOptions every job takes:\n");
    CommandLine.COMMON_OPTIONS.forEach(o -> text.append(optionLine(o)));
    return text.toString();
  }

  static String help(Command command) {
    StringBuilder text = new StringBuilder();
    text.append("Usage: dtks ").append(command.name());
    command.options().forEach(o -> text.append(' ').append(o.required() ? o.usage() : "[" + o.usage() + "]"));
    text.append(" [--config FILE]\n\n").append(command.description().strip()).append("\n\nOptions:\n");
    command.options().forEach(o -> text.append(optionLine(o)));
    CommandLine.COMMON_OPTIONS.forEach(o -> text.append(optionLine(o)));
    return text.toString();
  }

  private static String optionLine(OptionSpec option) {
    return String.format("  %-22s %s%s%n", option.usage(), option.description(), option.required() ? " (required)" : "");
  }
}
