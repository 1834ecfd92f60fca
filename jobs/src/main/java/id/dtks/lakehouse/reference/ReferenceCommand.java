package id.dtks.lakehouse.reference;

import id.dtks.lakehouse.cli.Command;
import id.dtks.lakehouse.cli.CommandLine;
import id.dtks.lakehouse.cli.JobContext;
import id.dtks.lakehouse.cli.OptionSpec;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.spark.Progress;
import java.util.List;

/** {@code dtks reference}: (re)load the ref layer. */
public final class ReferenceCommand implements Command {
  @Override
  public String name() {
    return "reference";
  }

  @Override
  public String summary() {
    return "load regions, code history, population and the BPS crosswalk into the ref layer";
  }

  @Override
  public String description() {
    return """
        Loads the reference tables into Delta tables under <lakehouse>/ref/, replacing them whole:
          wilayah               34 provinsi, 514 kabupaten/kota, 7,230 kecamatan, 83,442 desa (2020)
          kode_wilayah_histori  region codes of the 2016-2025 Kemendagri lists (NIK region checks)
          penduduk_kabkota      population per kabupaten/kota, Dukcapil 2024 (284,973,643 in all)
          kabkota_bps           BPS <-> Kemendagri codes of the 514 kabupaten/kota
          provinsi_bps          BPS <-> Kemendagri codes of the 34 provinces
        Reads the copies bundled in the jar, or the folder in dtks.reference.source-dir.""";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public void run(JobContext context, CommandLine commandLine) {
    run(context);
  }

  /** Loads the ref layer and prints where each table went; the demo calls this too. */
  public static LoadReferenceData.Result run(JobContext context) {
    LoadReferenceData.Result result = context.progress().step("load reference tables",
        () -> LoadReferenceData.into(context.spark(), context.lakehouse())
            .fromDirectory(context.settings().reference().sourceDir())
            .execute());
    result.rowsWritten().forEach((table, rows) -> context.out().printf("  %-24s %,9d rows  %s%n",
        "ref." + table.tableName(), rows, context.lakehouse().table(Layer.REF, table.tableName())));
    return result;
  }
}
