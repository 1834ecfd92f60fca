package id.dtks.lakehouse.coverage;

import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.PeriodCommand;
import id.dtks.lakehouse.lakehouse.Period;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** {@code dtks coverage}: coverage and quality statistics for the 514 kabupaten/kota, 34 provinces and the nation. */
public final class CoverageCommand extends PeriodCommand {
  /** Districts the summary lists, lowest coverage of desil 1-4 first. */
  private static final int LOWEST = 10;

  @Override
  public String name() {
    return "coverage";
  }

  @Override
  public String summary() {
    return "coverage and quality statistics for all 514 kabupaten/kota, 34 provinces and the nation";
  }

  @Override
  public String description() {
    return """
        Computes a ranked period's statistics into <lakehouse>/gold/ (data dictionary:
        jobs/docs/coverage-indicators.md):
          cakupan_wilayah  one row per kabupaten/kota (all 514, also without households), province
                           and the nation: households and people, per desil, share of the population
                           in desil 1-4 and 1-6, verivali update rate and activity class, NIK quality,
                           Dukcapil matches, dead people still listed, operators
          cakupan_program  per program and region: recipients, inclusion and exclusion error proxies
        and exports both as CSV and JSON under <lakehouse>/export/cakupan/<period>/, with the
        dashboard page dasbor.html (charts and the 514 kabupaten/kota; no network needed). Needs silver
        at the period and the period's ranking. Re-running a period replaces its rows.""";
  }

  @Override
  protected void run(JobContext context, Period period) {
    runAndReport(context, period);
  }

  /** Computes a period's statistics and prints the national figures and the lowest districts; the demo calls this too. */
  public static CoveragePeriod.Result runAndReport(JobContext context, Period period) {
    CoveragePeriod.Result result = context.progress().step("coverage of period " + period,
        () -> CoveragePeriod.in(context.spark(), context.lakehouse()).period(period).settings(context.settings().coverage())
            .progress(context.progress()).execute());
    print(context.out(), result);
    return result;
  }

  static void print(PrintStream out, CoveragePeriod.Result result) {
    Row nation = result.nation();
    out.printf("  nation: %,d households, %,d people in the registry (%s of %,d inhabitants)%n", nation.<Long>getAs("rumah_tangga"),
        nation.<Long>getAs("individu"), percent(nation.getAs("cakupan_individu")), nation.<Long>getAs("penduduk"));
    out.printf("    desil 1-4: %,d people, %s of the population; desil 1-6: %s%n", nation.<Long>getAs("individu_desil_1_4"),
        percent(nation.getAs("porsi_penduduk_desil_1_4")), percent(nation.getAs("porsi_penduduk_desil_1_6")));
    out.printf("    verivali: %s of households updated in the window; kabupaten/kota never updated %d, under 50%% %d, "
            + "50%% or more %d%n", percent(nation.getAs("tingkat_pembaruan")), nation.<Long>getAs("kabkota_tidak_pernah"),
        nation.<Long>getAs("kabkota_di_bawah_50_persen"), nation.<Long>getAs("kabkota_50_persen_atau_lebih"));
    out.printf("    NIK: %s valid, %s matched by Dukcapil, %,d duplicated across households, %,d dead still listed%n",
        percent(nation.getAs("porsi_nik_valid")), percent(nation.getAs("tingkat_padan")), nation.<Long>getAs("nik_duplikat_antar_rt"),
        nation.<Long>getAs("meninggal_masih_terdaftar"));
    for (Row program : result.programs()) {
      if (CoverageDictionary.NATIONAL.equals(program.getAs("tingkat"))) {
        out.printf("    %-15s %,9d recipients (%s outside desil 1-4 or the registry), %s of desil 1-4 targets not receiving%n",
            program.<String>getAs("program"), program.<Long>getAs("penerima"), percent(program.getAs("porsi_penerima_salah_sasaran")),
            percent(program.getAs("porsi_sasaran_tidak_menerima")));
      }
    }
    out.printf("  the %d kabupaten/kota with the lowest share of their population in desil 1-4:%n", LOWEST);
    for (Row district : lowestCoverage(result.regions())) {
      out.printf("    %-6s %-32s %7s  (%,d people in desil 1-4 of %,d)%n", district.<String>getAs("kode_kabkota"),
          district.<String>getAs("nama_kabkota"), percent(district.getAs("porsi_penduduk_desil_1_4")),
          district.<Long>getAs("individu_desil_1_4"), district.<Long>getAs("penduduk"));
    }
    out.printf("  tables: %s, %s%n", result.regionsTable(), result.programsTable());
    if (!result.exports().isEmpty()) {
      out.printf("  exports: %s%n", String.join(", ", result.exports()));
    }
    result.dashboard().ifPresent(page -> out.printf("  dashboard: %s (open it in a browser; vega/ beside it)%n", page));
  }

  /** Kabupaten/kota by share of the population in desil 1-4, lowest first (no population: last). */
  static List<Row> lowestCoverage(List<Row> regions) {
    Comparator<Row> byShare = Comparator.comparing(r -> r.<Double>getAs("porsi_penduduk_desil_1_4"),
        Comparator.nullsLast(Comparator.naturalOrder()));
    return regions.stream().filter(r -> CoverageDictionary.KABKOTA.equals(r.getAs("tingkat")))
        .sorted(byShare.thenComparing(r -> r.<String>getAs("kode_kabkota"))).limit(LOWEST).toList();
  }

  /** A share as a percentage: two decimals, or three significant digits below 1% (a demo registry covers little). */
  static String percent(Object share) {
    if (share == null) {
      return "n/a";
    }
    double percent = 100 * (Double) share;
    return percent == 0 || percent >= 1 ? String.format(Locale.ROOT, "%.2f%%", percent)
        : String.format(Locale.ROOT, "%.3g%%", percent);
  }
}
