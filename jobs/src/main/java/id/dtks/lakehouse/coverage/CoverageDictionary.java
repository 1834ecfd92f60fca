package id.dtks.lakehouse.coverage;

import id.dtks.lakehouse.conform.IdentityNumberRules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data dictionary of the coverage tables: every column's name, type, unit, formula and meaning,
 * in the order the tables hold them. {@code jobs/docs/coverage-indicators.md} is generated from
 * here ({@link #markdown()}; a test fails when the page and this class disagree), and the JSON
 * exports carry each column's unit, so dashboards format values without guessing.
 *
 * <p>Counts are stored; every rate is a ratio of two counts of the same row, so a province's or the
 * nation's rate is computed from summed counts, never by averaging the rates below it.
 */
public final class CoverageDictionary {
  /** One column: {@code formula} in terms of the silver, gold and bronze columns it comes from. */
  public record Entry(String name, String type, String unit, String formula, String meaning) {}

  /** Who may read the tables; they hold counts only, no personal data. */
  public static final String READERS = "analysts, dashboards, the public after review: counts per region, no personal data";

  static final String NATIONAL = "NASIONAL";
  static final String PROVINCE = "PROVINSI";
  static final String KABKOTA = "KABKOTA";
  /** Program recipients outside the registry whose NIK names no kabupaten/kota of the 514. */
  static final String NO_REGION = "TANPA_WILAYAH";

  static final String NEVER_UPDATED = "TIDAK_PERNAH";
  static final String UNDER_HALF = "DI_BAWAH_50_PERSEN";
  static final String HALF_OR_MORE = "50_PERSEN_ATAU_LEBIH";

  private static final String HOUSEHOLDS = "households";
  private static final String PEOPLE = "people";
  private static final String SHARE = "share (0 to 1)";
  private static final String ACTIVE_HOUSEHOLDS = "silver.rumah_tangga with status_data = AKTIF";
  private static final String ACTIVE_MEMBERS = "silver.anggota_rumah_tangga with status_data = AKTIF";

  private CoverageDictionary() {}

  /** The columns both tables start with: which region a row is about. */
  private static List<Entry> regionColumns(String levels) {
    return List.of(
        new Entry("periode", "STRING", "YYYY-MM", "the period computed", "reporting month"),
        new Entry("tingkat", "STRING", "code", levels, "level of the row"),
        new Entry("kode_provinsi", "STRING", "Kemendagri code", "PP; null for the nation", "province"),
        new Entry("nama_provinsi", "STRING", "text", "ref.wilayah", "province name"),
        new Entry("kode_kabkota", "STRING", "Kemendagri code", "PP.KK; null above kabupaten/kota level",
            "kabupaten/kota"),
        new Entry("nama_kabkota", "STRING", "text", "ref.wilayah", "kabupaten/kota name"));
  }

  /** {@code gold.cakupan_wilayah}: one row per kabupaten/kota (all 514), province (34) and the nation. */
  public static final List<Entry> REGIONS = regions();

  /** {@code gold.cakupan_program}: one row per program and region, plus recipients no region can be given. */
  public static final List<Entry> PROGRAMS = programs();

  private static List<Entry> regions() {
    List<Entry> columns = new ArrayList<>(regionColumns(NATIONAL + ", " + PROVINCE + " or " + KABKOTA));
    columns.add(new Entry("jumlah_kabkota", "BIGINT", "kabupaten/kota", "kabupaten/kota the row covers", "1, a province's, 514"));
    // Coverage
    columns.add(new Entry("penduduk", "BIGINT", PEOPLE, "ref.penduduk_kabkota.penduduk_total (Dukcapil, end of 2024)",
        "population"));
    columns.add(new Entry("rumah_tangga", "BIGINT", HOUSEHOLDS, "count of " + ACTIVE_HOUSEHOLDS, "households in the registry"));
    columns.add(new Entry("individu", "BIGINT", PEOPLE, "sum of jumlah_anggota_hidup over those households",
        "people in the registry (living members)"));
    columns.add(new Entry("cakupan_individu", "DOUBLE", SHARE, "individu / penduduk", "registry coverage of the population"));
    columns.add(new Entry("rumah_tangga_diperingkat", "BIGINT", HOUSEHOLDS,
        "those households with a desil_nasional in gold.peringkat_rumah_tangga for the period", "households ranked"));
    columns.add(new Entry("individu_diperingkat", "BIGINT", PEOPLE, "sum of jumlah_anggota_hidup over ranked households",
        "people ranked"));
    for (int desil = 1; desil <= 10; desil++) {
      columns.add(new Entry("rt_desil_" + desil, "BIGINT", HOUSEHOLDS, "ranked households with desil_nasional = " + desil,
          "households in national desil " + desil));
    }
    for (int desil = 1; desil <= 10; desil++) {
      columns.add(new Entry("individu_desil_" + desil, "BIGINT", PEOPLE, "sum of jumlah_anggota_hidup, desil_nasional = " + desil,
          "people in national desil " + desil));
    }
    columns.add(new Entry("rt_desil_1_4", "BIGINT", HOUSEHOLDS, "rt_desil_1 + ... + rt_desil_4", "households in desil 1-4"));
    columns.add(new Entry("individu_desil_1_4", "BIGINT", PEOPLE, "individu_desil_1 + ... + individu_desil_4", "people in desil 1-4"));
    columns.add(new Entry("rt_desil_1_6", "BIGINT", HOUSEHOLDS, "rt_desil_1 + ... + rt_desil_6", "households in desil 1-6"));
    columns.add(new Entry("individu_desil_1_6", "BIGINT", PEOPLE, "individu_desil_1 + ... + individu_desil_6", "people in desil 1-6"));
    columns.add(new Entry("porsi_penduduk_desil_1_4", "DOUBLE", SHARE, "individu_desil_1_4 / penduduk",
        "share of the local population in desil 1-4 (coverage of desil 1-4)"));
    columns.add(new Entry("porsi_penduduk_desil_1_6", "DOUBLE", SHARE, "individu_desil_1_6 / penduduk",
        "share of the local population in desil 1-6"));
    // Verivali
    columns.add(new Entry("rt_pernah_diperbarui", "BIGINT", HOUSEHOLDS, "households with jumlah_update > 0",
        "households updated at least once (verivali)"));
    columns.add(new Entry("rt_diperbarui_dalam_jendela", "BIGINT", HOUSEHOLDS,
        "households with tanggal_update_terakhir after the period's last day minus dtks.coverage.verivali-window-months",
        "households updated within the window (default 24 months)"));
    columns.add(new Entry("tingkat_pembaruan", "DOUBLE", SHARE, "rt_diperbarui_dalam_jendela / rumah_tangga", "verivali update rate"));
    columns.add(new Entry("kelas_aktivitas", "STRING", "code",
        NEVER_UPDATED + " when rt_pernah_diperbarui = 0, else " + UNDER_HALF + " when tingkat_pembaruan < 0.5, else " + HALF_OR_MORE,
        "verivali activity class"));
    columns.add(new Entry("kabkota_tidak_pernah", "BIGINT", "kabupaten/kota", "kabupaten/kota whose kelas_aktivitas is "
        + NEVER_UPDATED, "districts that never updated"));
    columns.add(new Entry("kabkota_di_bawah_50_persen", "BIGINT", "kabupaten/kota", "kabupaten/kota whose kelas_aktivitas is "
        + UNDER_HALF, "districts updating under 50%"));
    columns.add(new Entry("kabkota_50_persen_atau_lebih", "BIGINT", "kabupaten/kota", "kabupaten/kota whose kelas_aktivitas is "
        + HALF_OR_MORE, "districts updating 50% or more"));
    columns.add(new Entry("tanggal_update_terakhir", "DATE", "date", "max of tanggal_update_terakhir", "last verivali update"));
    columns.add(new Entry("rt_update_terakhir_operator_dicabut", "BIGINT", HOUSEHOLDS,
        "households whose id_operator_terakhir has status_akses = DICABUT in the period's bronze.operator",
        "households last updated by an operator whose access is now revoked"));
    // NIK quality
    columns.add(new Entry("anggota", "BIGINT", PEOPLE, "count of " + ACTIVE_MEMBERS + " in those households",
        "members listed, living or not"));
    columns.add(new Entry("nik_valid", "BIGINT", PEOPLE, "members with nik_valid", "members with a valid NIK"));
    columns.add(new Entry("porsi_nik_valid", "DOUBLE", SHARE, "nik_valid / anggota", "share of valid NIKs"));
    for (Rule rule : Rule.values()) {
      columns.add(new Entry("nik_" + rule.name().toLowerCase(Locale.ROOT), "BIGINT", PEOPLE,
          "members whose nik_alasan holds NIK_" + rule.name(), "NIKs failing: " + ruleMeaning(rule)));
    }
    columns.add(new Entry("nik_jenis_kelamin_tidak_cocok", "BIGINT", PEOPLE, "members with jenis_kelamin_cocok = false",
        "valid NIKs whose day (+40 for women) disagrees with the recorded sex"));
    columns.add(new Entry("nik_duplikat_dalam_rt", "BIGINT", PEOPLE, "members with nik_duplikat_dalam_rt",
        "valid NIKs held by two or more members of one household"));
    columns.add(new Entry("nik_duplikat_antar_rt", "BIGINT", PEOPLE, "members with nik_duplikat_antar_rt",
        "valid NIKs held in two or more households"));
    columns.add(new Entry("padan_dukcapil", "BIGINT", PEOPLE, "members with status_padan = PADAN", "members matched by Dukcapil"));
    columns.add(new Entry("tingkat_padan", "DOUBLE", SHARE, "padan_dukcapil / anggota", "Dukcapil match rate"));
    columns.add(new Entry("meninggal_masih_terdaftar", "BIGINT", PEOPLE, "members with meninggal (Dukcapil: died)",
        "dead people still listed"));
    // Operations
    columns.add(new Entry("operator_aktif", "BIGINT", "operator accounts", "bronze.operator of the period, status_akses = AKTIF",
        "verivali operators with access"));
    columns.add(new Entry("operator_dicabut", "BIGINT", "operator accounts", "bronze.operator of the period, status_akses = DICABUT",
        "operators whose access was revoked"));
    columns.add(new Entry("rt_per_operator_aktif", "DOUBLE", "households per operator", "rumah_tangga / operator_aktif",
        "workload: households per active operator (enumerator); null without operators"));
    return List.copyOf(columns);
  }

  private static List<Entry> programs() {
    List<Entry> columns = new ArrayList<>(regionColumns(NATIONAL + ", " + PROVINCE + ", " + KABKOTA + " or " + NO_REGION
        + " (recipients outside the registry whose NIK names no kabupaten/kota; counted in the nation only)"));
    columns.add(new Entry("program", "STRING", "code", "PKH, BPNT, PBI_JK, KIP, SUBSIDI_LISTRIK", "program"));
    columns.add(new Entry("satuan", "STRING", "code", "RUMAH_TANGGA (PKH, BPNT, SUBSIDI_LISTRIK) or INDIVIDU (PBI_JK, KIP)",
        "the unit the program pays and the counts below count"));
    columns.add(new Entry("penerima", "BIGINT", "units", "distinct recipients in the period's bronze.penerima_program "
        + "(households by id_rt; people by id_art, or NIK without one)", "recipients"));
    columns.add(new Entry("penerima_dalam_registri", "BIGINT", "units", "recipients whose id_rt is an active registry household",
        "recipients in the registry"));
    columns.add(new Entry("penerima_di_luar_desil_1_4", "BIGINT", "units",
        "recipients in the registry whose household is not in desil_nasional 1-4 (or not ranked)",
        "inclusion error proxy: in the registry, outside desil 1-4"));
    columns.add(new Entry("penerima_di_luar_registri", "BIGINT", "units",
        "recipients whose id_rt is no active registry household; placed in the kabupaten/kota that issued their NIK",
        "inclusion error proxy: outside the registry"));
    columns.add(new Entry("porsi_penerima_salah_sasaran", "DOUBLE", SHARE,
        "(penerima_di_luar_desil_1_4 + penerima_di_luar_registri) / penerima", "inclusion error proxy rate"));
    columns.add(new Entry("sasaran_desil_1_4", "BIGINT", "units",
        "desil 1-4 units the default rule of DOMAIN.md targets: BPNT every household; PKH households with a living member "
            + "pregnant, under 6, 6-21 in school, 60 or older, or severely disabled; SUBSIDI_LISTRIK households on PLN_450VA or "
            + "PLN_900VA; PBI_JK every living member; KIP living members aged 6-21 in school",
        "target units in desil 1-4"));
    columns.add(new Entry("sasaran_tidak_menerima", "BIGINT", "units", "those target units with no receipt of the program",
        "exclusion error proxy: desil 1-4 targets not receiving"));
    columns.add(new Entry("porsi_sasaran_tidak_menerima", "DOUBLE", SHARE, "sasaran_tidak_menerima / sasaran_desil_1_4",
        "exclusion error proxy rate"));
    return List.copyOf(columns);
  }

  private static String ruleMeaning(Rule rule) {
    return switch (rule) {
      case KOSONG -> "missing or blank";
      case FORMAT_SPREADSHEET -> "mangled by a spreadsheet (3.27E+15, a trailing .0)";
      case BUKAN_ANGKA -> "not digits";
      case PANJANG_SALAH -> "not 16 digits";
      case PLACEHOLDER -> "one digit repeated";
      case WILAYAH_TIDAK_DIKENAL -> "region code in no Kemendagri list";
      case TANGGAL_TIDAK_VALID -> "no real birth date";
      case SERIAL_NOL -> "serial 0000";
    };
  }

  /** The column names of a table, in order. */
  public static List<String> names(List<Entry> table) {
    return table.stream().map(Entry::name).toList();
  }

  /** The unit of a column of either table. */
  public static String unitOf(List<Entry> table, String column) {
    return table.stream().filter(e -> e.name().equals(column)).findFirst().map(Entry::unit)
        .orElseThrow(() -> new IllegalArgumentException("No coverage column '" + column + "'"));
  }

  /** The page {@code jobs/docs/coverage-indicators.md}. */
  public static String markdown() {
    StringBuilder md = new StringBuilder("""
        # Coverage and quality indicators: the data dictionary

        Generated from `jobs/src/main/java/id/dtks/lakehouse/coverage/CoverageDictionary.java`: when
        this page and the code disagree, `CoverageDictionaryTest` fails and writes the page the code
        gives to `jobs/target/coverage-indicators.md`. `dtks coverage --period P` writes both tables,
        one partition per period, replaced when the period runs again, and exports each as CSV and
        JSON under `<lakehouse>/export/cakupan/<period>/`.

        Who may read them: %s.

        Counts are stored; every rate is a ratio of two counts of the same row, so a province's or the
        nation's rate comes from summed counts, never from averaging rates. A rate whose denominator
        is 0 is null. Kabupaten/kota rows add up to their province and to the nation for every count.

        """.formatted(READERS));
    md.append("## gold.cakupan_wilayah\n\nOne row per kabupaten/kota (all 514, also those with no households), "
        + "province (34) and the nation: 549 rows per period.\n\n");
    table(md, REGIONS);
    md.append("\n## gold.cakupan_program\n\nOne row per program and region (514 + 34 + 1), plus one " + NO_REGION
        + " row per program: recipients outside the registry whose NIK names none of the 514 kabupaten/kota. The "
        + NO_REGION + " rows are part of the nation's counts and of no province's.\n\n");
    table(md, PROGRAMS);
    return md.toString();
  }

  private static void table(StringBuilder md, List<Entry> columns) {
    md.append("| column | type | unit | formula | meaning |\n|---|---|---|---|---|\n");
    for (Entry column : columns) {
      md.append("| `").append(column.name()).append("` | ").append(column.type()).append(" | ").append(column.unit())
          .append(" | ").append(column.formula()).append(" | ").append(column.meaning()).append(" |\n");
    }
  }
}
