package id.dtks.lakehouse.lakehouse;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** A reporting month (periode), written {@code YYYY-MM}; every table row carries the period it belongs to. */
public record Period(YearMonth month) implements Comparable<Period> {
  private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}");

  public static Period parse(String text) {
    if (text == null || !FORMAT.matcher(text.strip()).matches()) {
      throw new IllegalArgumentException(
          "Cannot read period '" + text + "': expected a month as YYYY-MM, e.g. 2026-11");
    }
    try {
      return new Period(YearMonth.parse(text.strip()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "Cannot read period '" + text + "': the month must be 01 to 12, e.g. 2026-11", e);
    }
  }

  /** The last day of the month: the date the period's data describe. */
  public LocalDate referenceDate() {
    return month.atEndOfMonth();
  }

  /** Months since January 2000; the generator salts period-specific changes with it. */
  public int monthIndex() {
    return (month.getYear() - 2000) * 12 + month.getMonthValue() - 1;
  }

  public Period previous() {
    return new Period(month.minusMonths(1));
  }

  @Override
  public int compareTo(Period other) {
    return month.compareTo(other.month);
  }

  @Override
  public String toString() {
    return month.toString();
  }
}
