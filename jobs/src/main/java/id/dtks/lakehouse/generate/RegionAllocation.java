package id.dtks.lakehouse.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.reference.ReferenceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Where the synthetic households live: each of the 514 kabupaten/kota gets households in
 * proportion to its real population, numbered contiguously (household number h in
 * [start(k), start(k+1))), and each household a desa of its kabupaten/kota. Also per kabupaten/kota:
 * a welfare level, a verivali activity class and its operators. Built on the driver from the ref
 * layer (bounded reference data: 514 districts, 83,442 desa), then used inside Spark through
 * lookups that are pure functions of the household number.
 */
final class RegionAllocation {
  /** Households per operator account, for sizing each district's operators. */
  private static final long HOUSEHOLDS_PER_OPERATOR = 1500;

  /** Welfare offsets (log consumption) of the provinces that stand out in BPS poverty figures. */
  private static final Map<String, Double> PROVINCE_WELFARE = Map.ofEntries(
      Map.entry("31", 0.45), Map.entry("21", 0.25), Map.entry("64", 0.25), Map.entry("51", 0.2),
      Map.entry("36", 0.1), Map.entry("34", 0.05), Map.entry("14", 0.1), Map.entry("65", 0.15),
      Map.entry("11", -0.12), Map.entry("17", -0.1), Map.entry("18", -0.08), Map.entry("52", -0.15),
      Map.entry("53", -0.4), Map.entry("75", -0.15), Map.entry("72", -0.08), Map.entry("81", -0.25),
      Map.entry("82", -0.15), Map.entry("91", -0.45), Map.entry("92", -0.3), Map.entry("33", -0.03));

  final String[] kabkotaCodes;
  final long[] householdStart;
  final long[] operatorStart;
  final double[] welfareOffset;
  final ActivityClass[] activity;
  private final int[] desaOffset;
  private final String[] desaCodes;
  final String[] historicKecamatanDigits;

  enum ActivityClass { NEVER_UPDATED, UNDER_HALF, HALF_OR_MORE }

  private RegionAllocation(String[] kabkotaCodes, long[] population, int[] desaOffset, String[] desaCodes,
      String[] historicKecamatanDigits, long households, long seed, double neverShare, double activeShare) {
    this.kabkotaCodes = kabkotaCodes;
    this.desaOffset = desaOffset;
    this.desaCodes = desaCodes;
    this.historicKecamatanDigits = historicKecamatanDigits;
    this.householdStart = allocate(population, households);
    this.operatorStart = new long[kabkotaCodes.length + 1];
    for (int k = 0; k < kabkotaCodes.length; k++) {
      long districtHouseholds = householdStart[k + 1] - householdStart[k];
      operatorStart[k + 1] = operatorStart[k] + Math.max(2, (districtHouseholds + HOUSEHOLDS_PER_OPERATOR - 1) / HOUSEHOLDS_PER_OPERATOR);
    }
    this.welfareOffset = new double[kabkotaCodes.length];
    this.activity = new ActivityClass[kabkotaCodes.length];
    for (int k = 0; k < kabkotaCodes.length; k++) {
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + kabkotaCodes[k].hashCode());
      boolean kota = Integer.parseInt(kabkotaCodes[k].substring(3, 5)) >= 71;
      welfareOffset[k] = PROVINCE_WELFARE.getOrDefault(kabkotaCodes[k].substring(0, 2), 0.0)
          + (kota ? 0.15 : 0.0) + 0.12 * gaussian(random);
      double u = random.nextDouble();
      activity[k] = u < neverShare ? ActivityClass.NEVER_UPDATED
          : u < neverShare + activeShare ? ActivityClass.HALF_OR_MORE : ActivityClass.UNDER_HALF;
    }
  }

  static RegionAllocation from(SparkSession spark, Lakehouse lakehouse, long households, long seed,
      double neverShare, double activeShare) {
    // Reference data, bounded by the region lists (514 + 83,442 + 8,457 rows), never by households.
    List<Row> districts = readRef(spark, lakehouse, ReferenceTable.PENDUDUK_KABKOTA)
        .select("kode_kabkota_2020", "penduduk_total").orderBy("kode_kabkota_2020").collectAsList();
    Dataset<Row> wilayah = readRef(spark, lakehouse, ReferenceTable.WILAYAH);
    // One 2020 desa (13.02.02.1036) hangs under a kecamatan no list has; a NIK issued there would
    // fail the region check, so households go only to desa whose kecamatan is listed.
    Dataset<Row> listedKecamatan = wilayah.where(col("tingkat").equalTo("kecamatan")).select(col("kode").as("kode_kecamatan"));
    List<Row> desa = wilayah.where(col("tingkat").equalTo("desa"))
        .join(listedKecamatan, "kode_kecamatan", "left_semi")
        .select("kode", "kode_kabkota").orderBy("kode").collectAsList();
    List<Row> kecamatan = readRef(spark, lakehouse, ReferenceTable.KODE_WILAYAH_HISTORI)
        .where(col("tingkat").equalTo("kecamatan")).select("kode").orderBy("kode").collectAsList();

    String[] codes = districts.stream().map(r -> r.getString(0)).toArray(String[]::new);
    long[] population = districts.stream().mapToLong(r -> r.getLong(1)).toArray();
    Map<String, List<String>> desaByDistrict = new HashMap<>();
    desa.forEach(row -> desaByDistrict.computeIfAbsent(row.getString(1), d -> new ArrayList<>()).add(row.getString(0)));
    int[] offsets = new int[codes.length + 1];
    List<String> desaCodes = new ArrayList<>();
    for (int k = 0; k < codes.length; k++) {
      List<String> ofDistrict = desaByDistrict.getOrDefault(codes[k], List.of());
      if (ofDistrict.isEmpty()) {
        throw new IllegalStateException("Cannot place households in kabupaten/kota " + codes[k]
            + ": ref.wilayah lists no desa for it");
      }
      offsets[k] = desaCodes.size();
      desaCodes.addAll(ofDistrict);
    }
    offsets[codes.length] = desaCodes.size();
    String[] historic = kecamatan.stream().map(r -> r.getString(0).replace(".", "")).toArray(String[]::new);
    return new RegionAllocation(codes, population, offsets, desaCodes.toArray(String[]::new), historic,
        households, seed, neverShare, activeShare);
  }

  private static Dataset<Row> readRef(SparkSession spark, Lakehouse lakehouse, ReferenceTable table) {
    String path = lakehouse.table(Layer.REF, table.tableName());
    try {
      return spark.read().format("delta").load(path);
    } catch (Exception e) { // AnalysisException is checked in Java's eyes but thrown undeclared by Scala
      throw new IllegalStateException("Cannot generate: reference table ref." + table.tableName()
          + " cannot be read at " + path + " (" + e.getMessage() + "). Run 'dtks reference' first", e);
    }
  }

  /**
   * Households per district in proportion to population (largest remainder), every district at
   * least one when there are enough households; returns the cumulative starts.
   */
  static long[] allocate(long[] population, long households) {
    int districts = population.length;
    long guaranteed = households >= districts ? 1 : 0;
    long toShare = households - guaranteed * districts;
    double total = Arrays.stream(population).sum();
    long[] counts = new long[districts];
    double[] remainders = new double[districts];
    long assigned = 0;
    for (int k = 0; k < districts; k++) {
      double quota = toShare * population[k] / total;
      counts[k] = guaranteed + (long) Math.floor(quota);
      remainders[k] = quota - Math.floor(quota);
      assigned += counts[k];
    }
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < districts; k++) {
      order.add(k);
    }
    order.sort((a, b) -> remainders[a] != remainders[b] ? Double.compare(remainders[b], remainders[a]) : Integer.compare(a, b));
    for (int i = 0; assigned < households; i++) {
      counts[order.get(i % districts)]++;
      assigned++;
    }
    long[] starts = new long[districts + 1];
    for (int k = 0; k < districts; k++) {
      starts[k + 1] = starts[k] + counts[k];
    }
    return starts;
  }

  /** Index of the kabupaten/kota of household number h (0-based). */
  Column kabkotaIndex(Column household) {
    long[] starts = householdStart;
    UserDefinedFunction lookup = udf((UDF1<Long, Integer>) h -> {
      int found = Arrays.binarySearch(starts, h);
      int k = found >= 0 ? found : -found - 2;
      while (k + 1 < starts.length - 1 && starts[k + 1] <= h) {
        k++; // districts with no household share a start; take the one that holds h
      }
      return k;
    }, DataTypes.IntegerType);
    return lookup.apply(household);
  }

  /** The desa of a household: slot {@code draw} (any non-negative number) among its district's desa. */
  Column desaCode(Column kabkotaIndex, Column draw) {
    int[] offsets = desaOffset;
    String[] codes = desaCodes;
    UserDefinedFunction lookup = udf((UDF2<Integer, Long, String>) (k, slot) -> {
      int count = offsets[k + 1] - offsets[k];
      return codes[offsets[k] + (int) (slot % count)];
    }, DataTypes.StringType);
    return lookup.apply(kabkotaIndex, draw);
  }

  /** A kecamatan code of any 2016-2025 vintage, undotted (PPKKCC), for NIKs issued elsewhere. */
  Column historicKecamatan(Column draw) {
    String[] codes = historicKecamatanDigits;
    UserDefinedFunction lookup = udf((UDF1<Long, String>) slot -> codes[(int) (slot % codes.length)], DataTypes.StringType);
    return lookup.apply(draw);
  }

  Column kabkotaCode(Column kabkotaIndex) {
    return element_at(lit(kabkotaCodes), kabkotaIndex.plus(1));
  }

  Column welfareOffset(Column kabkotaIndex) {
    return element_at(lit(welfareOffset), kabkotaIndex.plus(1));
  }

  Column activityClass(Column kabkotaIndex) {
    String[] names = Arrays.stream(activity).map(Enum::name).toArray(String[]::new);
    return element_at(lit(names), kabkotaIndex.plus(1));
  }

  Column operatorStart(Column kabkotaIndex) {
    return element_at(lit(operatorStart), kabkotaIndex.plus(1));
  }

  Column operatorCount(Column kabkotaIndex) {
    return element_at(lit(operatorStart), kabkotaIndex.plus(2)).minus(operatorStart(kabkotaIndex));
  }

  /** Index of the kabupaten/kota of operator number o (0-based). */
  Column kabkotaOfOperator(Column operator) {
    long[] starts = operatorStart;
    UserDefinedFunction lookup = udf((UDF1<Long, Integer>) o -> {
      int found = Arrays.binarySearch(starts, o);
      return found >= 0 ? found : -found - 2;
    }, DataTypes.IntegerType);
    return lookup.apply(operator);
  }

  long totalOperators() {
    return operatorStart[operatorStart.length - 1];
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
