package id.dtks.lakehouse.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads typed values from a resolved config and turns every wrong one into an
 * {@link InvalidSettingException} whose message names the key, the value and the rule.
 */
final class SettingsReader {
  private final Config config;

  SettingsReader(Config config) {
    this.config = config;
  }

  String string(String key) {
    try {
      return config.getString(key);
    } catch (ConfigException.WrongType e) {
      throw invalid(key, "must be a string");
    }
  }

  long wholeNumber(String key) {
    try {
      return config.getLong(key);
    } catch (ConfigException.WrongType e) {
      throw invalid(key, "must be a whole number");
    }
  }

  long longAtLeast(String key, long minimum) {
    long value;
    try {
      value = config.getLong(key);
    } catch (ConfigException.WrongType e) {
      throw invalid(key, "must be a whole number of at least " + minimum);
    }
    if (value < minimum) {
      throw invalid(key, "must be a whole number of at least " + minimum);
    }
    return value;
  }

  int intAtLeast(String key, int minimum) {
    long value = longAtLeast(key, minimum);
    if (value > Integer.MAX_VALUE) {
      throw invalid(key, "must be a whole number from " + minimum + " to " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  /** A list of codes, each one of {@code allowed}. */
  java.util.List<String> codes(String key, java.util.Collection<String> allowed) {
    java.util.List<String> values;
    try {
      values = config.getStringList(key);
    } catch (ConfigException.WrongType e) {
      throw invalid(key, "must be a list of codes, e.g. [" + String.join(", ", allowed) + "]");
    }
    for (String value : values) {
      if (!allowed.contains(value)) {
        throw invalid(key, "'" + value + "' is not one of " + String.join(", ", allowed));
      }
    }
    return values;
  }

  boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw invalid(key, "must be true or false");
    }
  }

  /** A share of rows: a number from 0 to 1. */
  double share(String key) {
    double value;
    try {
      value = config.getDouble(key);
    } catch (ConfigException.WrongType e) {
      throw invalid(key, "must be a share from 0 to 1");
    }
    if (!(value >= 0.0 && value <= 1.0)) {
      throw invalid(key, "must be a share from 0 to 1");
    }
    return value;
  }

  /** A flat map of string values, e.g. Spark settings: every leaf below {@code key}, by its dotted name. */
  Map<String, String> stringMap(String key) {
    Map<String, String> values = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : config.getConfig(key).entrySet()) {
      ConfigValue value = entry.getValue();
      if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
        throw new InvalidSettingException(
            "Invalid setting " + key + "." + unquote(entry.getKey()) + " = " + value.render(ConfigRenderOptions.concise())
                + ": must be a single value, not a list");
      }
      values.put(unquote(entry.getKey()), String.valueOf(value.unwrapped()));
    }
    return values;
  }

  InvalidSettingException invalid(String key, String rule) {
    return new InvalidSettingException(
        "Invalid setting " + key + " = " + render(key) + ": " + rule);
  }

  private String render(String key) {
    if (!config.hasPath(key)) {
      return "(missing)";
    }
    String value = String.valueOf(config.getValue(key).unwrapped());
    return value.isBlank() ? "\"" + value + "\"" : value;
  }

  private static String unquote(String path) {
    return path.length() > 1 && path.startsWith("\"") && path.endsWith("\"")
        ? path.substring(1, path.length() - 1)
        : path;
  }
}
