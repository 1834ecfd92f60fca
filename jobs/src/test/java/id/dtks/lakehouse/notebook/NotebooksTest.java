package id.dtks.lakehouse.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.testing.ProjectScripts;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Every analyst notebook executed headless by {@code scripts/notebooks execute} (Jupyter's
 * nbconvert on the project's Java kernel) over two published periods
 * ({@link TestLakehouse#publishedPeriods()}): a failing cell fails the build, and the outputs must
 * hold what each notebook is for. The notebooks check their own reconciliations and throw when
 * counts disagree.
 */
@ResourceLock(TestLocks.PUBLISHED_PERIODS)
@Order(2)
class NotebooksTest {
  private static final Path EXECUTED = ProjectScripts.PROJECT.resolve("jobs/target/notebooks");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NOTEBOOKS = List.of("01-cakupan-wilayah", "02-kualitas-nik", "03-program-sasaran",
      "04-riwayat-dan-publikasi");

  @BeforeAll
  static void executeEveryNotebook() throws Exception {
    Lakehouse lakehouse = TestLakehouse.publishedPeriods().lakehouse();
    ProjectScripts.deleteRecursively(EXECUTED);
    new ProjectScripts(Path.of("target", "notebooks-test")).run("execute",
        Map.of("DTKS_LAKEHOUSE_ROOT", Path.of(lakehouse.root()).toAbsolutePath().toString(), "DTKS_NOTEBOOK_MEMORY", "2g"),
        List.of("scripts/notebooks", "execute"));
  }

  @Test
  void theNotebooksFolderHoldsExactlyTheNotebooksThisTestChecks() throws IOException {
    try (Stream<Path> files = Files.list(ProjectScripts.PROJECT.resolve("notebooks"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".ipynb")))
          .containsExactlyInAnyOrderElementsOf(NOTEBOOKS.stream().map(n -> n + ".ipynb").toList());
    }
  }

  @Test
  void everyCodeCellRanWithoutAnErrorAndTheCommittedNotebooksHoldNoOutputs() throws IOException {
    for (String notebook : NOTEBOOKS) {
      JsonNode committed = JSON.readTree(ProjectScripts.PROJECT.resolve("notebooks/" + notebook + ".ipynb").toFile());
      for (JsonNode cell : committed.get("cells")) {
        if (cell.get("cell_type").asText().equals("code")) {
          assertThat(cell.get("outputs")).as(notebook + ": committed without outputs").isEmpty();
        }
      }
      JsonNode executed = executed(notebook);
      assertThat(executed.at("/metadata/kernelspec/name").asText()).isEqualTo("dtks");
      for (JsonNode cell : executed.get("cells")) {
        if (cell.get("cell_type").asText().equals("code")) {
          assertThat(cell.get("execution_count").isNumber()).as(notebook + ": every code cell ran").isTrue();
          for (JsonNode output : cell.get("outputs")) {
            assertThat(output.get("output_type").asText()).as(notebook + ": " + output).isNotEqualTo("error");
          }
        }
      }
    }
  }

  @Test
  void eachNotebookShowsWhatItIsFor() throws IOException {
    String coverage = text(executed("01-cakupan-wilayah"));
    assertThat(coverage).contains("periode 2026-11 (periods in the lakehouse: [2026-10, 2026-11])")
        .contains("kabupaten/kota and provinces add up to the nation").contains("class=\"dtks-bar-chart\"")
        .contains("Furthest below").contains("Furthest above").contains("PAPUA");
    String nik = text(executed("02-kualitas-nik"));
    assertThat(nik).contains("NIK_KOSONG").contains("class=\"dtks-bar-chart\"").containsPattern("\\d+ reasons: the members add up");
    String programs = text(executed("03-program-sasaran"));
    assertThat(programs).contains("PBI_JK").contains("SUBSIDI_LISTRIK").contains("Exclusion error proxy");
    String history = text(executed("04-riwayat-dan-publikasi"));
    assertThat(history).contains("households by their desil in 2026-10, and where they are in 2026-11")
        .containsPattern("pseudonym [0-9a-f]{64}").contains("gold.analis_rumah_tangga").contains("rumah_tangga_saat_publikasi");
  }

  private static JsonNode executed(String notebook) throws IOException {
    return JSON.readTree(EXECUTED.resolve(notebook + ".ipynb").toFile());
  }

  /** Every output's text and HTML, joined. */
  private static String text(JsonNode notebook) {
    List<String> parts = new ArrayList<>();
    for (JsonNode cell : notebook.get("cells")) {
      for (JsonNode output : cell.path("outputs")) {
        parts.add(joined(output.path("text")));
        parts.add(joined(output.path("data").path("text/html")));
      }
    }
    return String.join("\n", parts);
  }

  private static String joined(JsonNode value) {
    if (value.isArray()) {
      StringBuilder text = new StringBuilder();
      value.forEach(line -> text.append(line.asText()));
      return text.toString();
    }
    return value.asText("");
  }
}
