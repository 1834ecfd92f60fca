package id.dtks.lakehouse.conform;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.testing.TestSpark;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DuplicatedNiksTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void findsNiksHeldTwiceWithinAndAcrossHouseholds() {
    StructType schema = new StructType().add("id_rt", DataTypes.LongType).add("nik", DataTypes.StringType);
    Dataset<Row> members = spark.createDataFrame(List.of(
        RowFactory.create(1L, "3273010508890001"),       // held twice in household 1
        RowFactory.create(1L, "3273-0105-0889-0001"),    // the same NIK as typed with dashes
        RowFactory.create(2L, "3273014508890002"),       // held in households 2 and 3
        RowFactory.create(3L, "3273014508890002"),
        RowFactory.create(3L, "3273014508890003"),       // held once
        RowFactory.create(4L, "1111111111111111"),       // a placeholder, not a NIK: in households 4 and 5
        RowFactory.create(5L, "1111111111111111"),
        RowFactory.create(5L, null)), schema);

    List<String> duplicated = ConformPeriod.duplicatedNiks(members,
            IdentityNumberRules.nik(Set.of("3273"), LocalDate.of(2026, 11, 30)))
        .orderBy("_nik", "_rt").collectAsList().stream()
        .map(r -> r.getString(0) + " rt " + r.getLong(1) + " within " + r.getBoolean(2) + " across " + r.getBoolean(3)).toList();

    assertThat(duplicated).containsExactly(
        "3273010508890001 rt 1 within true across false",
        "3273014508890002 rt 2 within false across true",
        "3273014508890002 rt 3 within false across true");
  }
}
