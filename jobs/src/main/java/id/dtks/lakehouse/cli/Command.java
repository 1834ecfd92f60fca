package id.dtks.lakehouse.cli;

import java.util.List;

/** A job as the command line sees it: its name, what it does, its options, and how it runs. */
public interface Command {
  String name();

  /** One line for the job list of {@code dtks --help}. */
  String summary();

  /** A few lines for {@code dtks <job> --help}: what it reads, what it writes. */
  String description();

  List<OptionSpec> options();

  /** Validates the options that need no Spark (so a bad value fails before Spark starts). */
  default void check(CommandLine commandLine) {}

  void run(JobContext context, CommandLine commandLine);
}
