package id.dtks.lakehouse.cli;

import id.dtks.lakehouse.lakehouse.Period;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A job's parsed options: every option known to the job, every required one present. */
public final class CommandLine {
  /** Options every job takes, besides its own. */
  static final List<OptionSpec> COMMON_OPTIONS = List.of(
      OptionSpec.optional("config", "FILE",
          "settings file of the environment, e.g. conf/local.conf or conf/cluster.conf"),
      OptionSpec.flag("help", "print this job's help and exit"));

  private final String job;
  private final Map<String, String> values;

  private CommandLine(String job, Map<String, String> values) {
    this.job = job;
    this.values = values;
  }

  static CommandLine parse(String job, List<OptionSpec> jobOptions, List<String> arguments) {
    Map<String, OptionSpec> known = new LinkedHashMap<>();
    jobOptions.forEach(o -> known.put(o.name(), o));
    COMMON_OPTIONS.forEach(o -> known.put(o.name(), o));

    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (!argument.startsWith("--") || argument.length() == 2) {
        throw new UsageException("Unexpected argument '" + argument + "' for job '" + job
            + "': options start with --, e.g. --period 2026-11");
      }
      String name = argument.substring(2);
      String inlineValue = null;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        inlineValue = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      OptionSpec spec = known.get(name);
      if (spec == null) {
        throw new UsageException("Unknown option '--" + name + "' for job '" + job + "'. Its options are: "
            + String.join(", ", known.values().stream().map(OptionSpec::usage).toList()));
      }
      if (values.containsKey(name)) {
        throw new UsageException("Option '--" + name + "' is given twice for job '" + job + "'");
      }
      if (spec.valueName().isEmpty()) {
        if (inlineValue != null) {
          throw new UsageException("Option '--" + name + "' of job '" + job + "' takes no value");
        }
        values.put(name, "true");
      } else if (inlineValue != null) {
        values.put(name, inlineValue);
      } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
        values.put(name, arguments.get(++i));
      } else {
        throw new UsageException("Option '--" + name + "' of job '" + job + "' needs a value: "
            + spec.usage());
      }
    }
    if (!values.containsKey("help")) {
      for (OptionSpec spec : jobOptions) {
        if (spec.required() && !values.containsKey(spec.name())) {
          throw new UsageException("Job '" + job + "' needs " + spec.usage() + ": " + spec.description());
        }
      }
    }
    return new CommandLine(job, values);
  }

  public boolean help() {
    return values.containsKey("help");
  }

  public boolean flag(String name) {
    return values.containsKey(name);
  }

  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public Optional<File> configFile() {
    return value("config").map(File::new);
  }

  public Period period() {
    String text = value("period").orElseThrow(() -> new UsageException("Job '" + job + "' needs --period YYYY-MM"));
    try {
      return Period.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  public Optional<Period> optionalPeriod() {
    return value("period").map(text -> {
      try {
        return Period.parse(text);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    });
  }

  /** A whole-number option of at least {@code minimum}. */
  public Optional<Long> longValue(String name, long minimum) {
    return value(name).map(text -> {
      long parsed;
      try {
        parsed = Long.parseLong(text.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new UsageException("Option '--" + name + "' of job '" + job + "' must be a whole number, not '" + text + "'");
      }
      if (parsed < minimum) {
        throw new UsageException("Option '--" + name + "' of job '" + job + "' must be at least " + minimum + ", not " + parsed);
      }
      return parsed;
    });
  }
}
