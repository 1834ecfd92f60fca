package id.dtks.lakehouse.coverage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.dtks.lakehouse.cli.BuildInfo;
import id.dtks.lakehouse.coverage.CoverageDictionary.Entry;
import id.dtks.lakehouse.lakehouse.ExportFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * A period's coverage as one HTML page for people who open a file rather than a notebook:
 * {@code dasbor.html} with the national figures, four Vega-Lite charts and a sortable table of the
 * 514 kabupaten/kota, and {@code vega/} beside it with the Vega files (ministry networks may not
 * reach a CDN; the page needs no network at all). The data goes into the page as JSON, so the folder
 * can be copied, mailed or served as it is.
 *
 * <p>Built from the rows the coverage job already gathered (one per region and program); no
 * timestamp goes in, so a re-run of a period writes the same bytes. Layout and behaviour live in
 * the template {@code dtks/dashboard/cakupan.html}; this class only fills in the data.
 */
final class CoverageDashboard {
  static final String PAGE = "dasbor.html";
  static final String VEGA_FOLDER = "vega";
  private static final String RESOURCES = "/dtks/dashboard/";
  /** The Vega files and their licences, as {@code scripts/update-vega} puts them in the jar. */
  static final List<String> VEGA_FILES = List.of("vega.min.js", "vega-lite.min.js", "vega-embed.min.js",
      "LICENSE-vega", "LICENSE-vega-lite", "LICENSE-vega-embed", "VERSIONS");

  /** The region columns the page shows; the rest stay in the CSV and JSON exports. */
  static final List<String> REGION_FIELDS = List.of("kode_provinsi", "nama_provinsi", "kode_kabkota", "nama_kabkota",
      "penduduk", "rumah_tangga", "individu", "cakupan_individu", "rumah_tangga_diperingkat", "individu_desil_1_4",
      "porsi_penduduk_desil_1_4", "tingkat_pembaruan", "kelas_aktivitas", "kabkota_tidak_pernah",
      "kabkota_di_bawah_50_persen", "kabkota_50_persen_atau_lebih", "anggota", "nik_valid", "porsi_nik_valid",
      "padan_dukcapil", "tingkat_padan", "meninggal_masih_terdaftar", "rt_per_operator_aktif");
  static final List<String> PROGRAM_FIELDS = List.of("program", "satuan", "penerima", "porsi_penerima_salah_sasaran",
      "sasaran_desil_1_4", "porsi_sasaran_tidak_menerima");
  /** NIK columns that are not a failure reason. */
  private static final Set<String> NOT_NIK_REASONS = Set.of("nik_valid");

  private static final ObjectMapper JSON = new ObjectMapper();

  private CoverageDashboard() {}

  /** Writes {@code folder/dasbor.html} and {@code folder/vega/}; returns the page's path. */
  static String write(Configuration hadoop, String folder, String period, List<Row> regions, List<Row> programs) {
    for (String file : VEGA_FILES) {
      ExportFiles.writeAtomically(hadoop, folder + "/" + VEGA_FOLDER + "/" + file, resource(VEGA_FOLDER + "/" + file));
    }
    String page = folder + "/" + PAGE;
    ExportFiles.writeAtomically(hadoop, page, page(period, regions, programs).getBytes(StandardCharsets.UTF_8));
    return page;
  }

  static String page(String period, List<Row> regions, List<Row> programs) {
    String template = new String(resource("cakupan.html"), StandardCharsets.UTF_8);
    return template.replace("{{PERIODE}}", period).replace("{{DATA}}", data(period, regions, programs));
  }

  /** The page's data as JSON that is safe inside a script element: no {@code </script>} can end it early. */
  static String data(String period, List<Row> regions, List<Row> programs) {
    ObjectNode document = JSON.createObjectNode();
    document.put("periode", period);
    document.put("versi_dtks", BuildInfo.version());
    ArrayNode provinces = document.putArray("provinsi");
    ArrayNode districts = document.putArray("kabkota");
    Row nation = null;
    for (Row region : regions) {
      String level = region.getAs("tingkat");
      if (CoverageDictionary.NATIONAL.equals(level)) {
        nation = region;
        document.set("nasional", fields(region, REGION_FIELDS));
      } else if (CoverageDictionary.PROVINCE.equals(level)) {
        provinces.add(fields(region, REGION_FIELDS));
      } else if (CoverageDictionary.KABKOTA.equals(level)) {
        districts.add(fields(region, REGION_FIELDS));
      }
    }
    if (nation == null) {
      throw new IllegalStateException("Cannot write the coverage dashboard of " + period + ": the nation's row is missing");
    }
    ArrayNode reasons = document.putArray("alasan_nik");
    for (Entry column : nikReasons()) {
      reasons.addObject().put("alasan", column.name().toUpperCase(java.util.Locale.ROOT)).put("arti", column.meaning())
          .put("anggota", nation.<Long>getAs(column.name()));
    }
    ArrayNode nationalPrograms = document.putArray("program");
    for (Row program : programs) {
      if (CoverageDictionary.NATIONAL.equals(program.getAs("tingkat"))) {
        nationalPrograms.add(fields(program, PROGRAM_FIELDS));
      }
    }
    try {
      return JSON.writeValueAsString(document).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write the coverage dashboard's data for " + period, e);
    }
  }

  /** The members counted per failed NIK rule, duplicate and sex mismatch: the {@code nik_*} counts. */
  static List<Entry> nikReasons() {
    List<Entry> reasons = new ArrayList<>();
    for (Entry column : CoverageDictionary.REGIONS) {
      if (column.name().startsWith("nik_") && !NOT_NIK_REASONS.contains(column.name())) {
        reasons.add(column);
      }
    }
    return reasons;
  }

  private static ObjectNode fields(Row row, List<String> names) {
    return CoverageExports.putFields(JSON.createObjectNode(), row, names);
  }


  private static byte[] resource(String name) {
    try (InputStream in = CoverageDashboard.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("The jar lacks " + RESOURCES + name + "; rebuild it (scripts/update-vega restores the Vega files)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCES + name + " from the jar", e);
    }
  }
}
