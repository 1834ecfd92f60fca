package id.dtks.lakehouse.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.objects.Invoke;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.DataType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A column that calls a public method of a serializable object on every row, compiled into Spark's
 * generated code with primitive arguments: a {@code double} column arrives as a {@code double}, a
 * string as Spark's {@code UTF8String}. The object travels with the query plan to the executors.
 *
 * <p>Why not a UDF: a Java UDF boxes every argument and result and goes through type converters
 * row by row; at 70 M households that cost the ranking's labelling pass about a third of its time.
 * This is Spark's own {@code Invoke} expression (how its encoders call methods), reached through
 * Spark's internal Catalyst API, so it lives in this one place: a Spark upgrade that changes it
 * breaks one class, and the ranking tests show it.
 */
public final class ObjectCalls {
  private ObjectCalls() {}

  /**
   * {@code target.method(arguments...)} for each row, returning {@code type}; the method must be
   * public, on a public class, with parameters of the arguments' Java types (long, double, int,
   * UTF8String). Arguments must not be null: the caller checks them first.
   */
  public static Column call(Serializable target, String method, DataType type, Column... arguments) {
    return invoke(target, method, type, false, arguments);
  }

  /** As {@link #call}, for arguments that may be null: a null argument gives null without calling the method. */
  public static Column callOrNull(Serializable target, String method, DataType type, Column... arguments) {
    return invoke(target, method, type, true, arguments);
  }

  private static Column invoke(Serializable target, String method, DataType type, boolean nullable, Column... arguments) {
    Expression[] expressions = Arrays.stream(arguments).map(ExpressionUtils::expression).toArray(Expression[]::new);
    Invoke invoke = new Invoke(Literal.fromObject(target), method, type,
        CollectionConverters.asScala(Arrays.asList(expressions)).toList(),
        CollectionConverters.asScala(java.util.List.<AbstractDataType>of()).toList(),
        nullable, nullable, true);
    return ExpressionUtils.column(invoke);
  }
}
