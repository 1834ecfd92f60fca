package id.dtks.lakehouse.rank;

import static org.apache.spark.sql.functions.col;

import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code gold.model_pmt}: every PMT model that scored or was calibrated, one row per term. A score
 * names its model as {@code name@version}; the rows here say exactly what that model was.
 */
public final class ModelTable {
  private final SparkSession spark;
  private final String path;

  public ModelTable(SparkSession spark, Lakehouse lakehouse) {
    this.spark = spark;
    this.path = lakehouse.table(Layer.GOLD, PmtModel.TABLE);
  }

  /** Writes (or rewrites) one model's rows, leaving every other model as it is. */
  public void save(PmtModel model) {
    spark.createDataFrame(model.toRows(), PmtModel.TABLE_SCHEMA).write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", "nama_model = '" + model.name() + "' AND versi = '" + model.version() + "'")
        .save(path);
  }

  /**
   * The model {@code name@version}: from the table, or else from the models bundled in the jar
   * (which is then saved to the table, so that the scores' model id always resolves there).
   */
  public PmtModel resolve(String id) {
    int at = id.indexOf('@');
    if (at <= 0 || at == id.length() - 1) {
      throw new IllegalArgumentException("Cannot resolve PMT model '" + id + "': expected name@version, e.g. pmt-ilustratif@1");
    }
    String name = id.substring(0, at);
    String version = id.substring(at + 1);
    Optional<Dataset<Row>> table = table();
    if (table.isPresent()) {
      List<Row> rows = table.get().where(col("nama_model").equalTo(name).and(col("versi").equalTo(version))).collectAsList();
      if (!rows.isEmpty()) {
        return PmtModel.fromRows(rows);
      }
    }
    Optional<PmtModel> bundled = PmtModel.bundled(id);
    if (bundled.isPresent()) {
      save(bundled.get());
      return bundled.get();
    }
    List<String> known = table.map(t -> t.selectExpr("concat(nama_model, '@', versi) AS model").distinct().orderBy("model")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).orElse(List.of());
    throw new IllegalArgumentException("Cannot resolve PMT model '" + id + "': it is neither in " + path
        + " (models there: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ") nor bundled (pmt-ilustratif@1). "
        + "Run 'dtks calibrate --period YYYY-MM' to fit one");
  }

  private Optional<Dataset<Row>> table() {
    try {
      return Optional.of(spark.read().format("delta").load(path));
    } catch (Exception e) { // AnalysisException (no table yet) is thrown undeclared by Scala
      return Optional.empty();
    }
  }
}
