package id.dtks.lakehouse.cli;

import java.util.Optional;

/**
 * One {@code --name [VALUE]} option of a job.
 *
 * @param valueName shown in help, e.g. {@code YYYY-MM}; empty for a flag without a value
 */
public record OptionSpec(String name, Optional<String> valueName, boolean required, String description) {

  public static OptionSpec required(String name, String valueName, String description) {
    return new OptionSpec(name, Optional.of(valueName), true, description);
  }

  public static OptionSpec optional(String name, String valueName, String description) {
    return new OptionSpec(name, Optional.of(valueName), false, description);
  }

  public static OptionSpec flag(String name, String description) {
    return new OptionSpec(name, Optional.empty(), false, description);
  }

  /** The period every period-bound job requires. */
  public static OptionSpec period() {
    return required("period", "YYYY-MM", "reporting month (periode) to process, e.g. 2026-11");
  }

  String usage() {
    return "--" + name + valueName.map(v -> " " + v).orElse("");
  }
}
