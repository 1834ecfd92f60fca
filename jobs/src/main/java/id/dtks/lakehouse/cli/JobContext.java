package id.dtks.lakehouse.cli;

import id.dtks.lakehouse.config.DtksSettings;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.spark.Progress;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** What a running job has: the settings, the Spark session, the lakehouse, progress and its output. */
public record JobContext(
    DtksSettings settings, SparkSession spark, Lakehouse lakehouse, Progress progress, PrintStream out) {}
