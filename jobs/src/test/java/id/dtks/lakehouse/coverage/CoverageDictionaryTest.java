package id.dtks.lakehouse.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageDictionaryTest {
  private static final Path PAGE = Path.of("docs/coverage-indicators.md");

  @Test
  void thePageIsTheDictionary() throws IOException {
    String expected = CoverageDictionary.markdown();
    String page = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
    if (!page.equals(expected)) {
      Path generated = Path.of("target/coverage-indicators.md");
      Files.writeString(generated, expected, StandardCharsets.UTF_8);
      assertThat(page).as("jobs/docs/coverage-indicators.md differs from CoverageDictionary; the page the code gives is in "
          + "jobs/target/coverage-indicators.md: review it and copy it over").isEqualTo(expected);
    }
  }

  @Test
  void everyColumnIsNamedOnceAndHasAUnitAndAFormula() {
    for (List<CoverageDictionary.Entry> table : List.of(CoverageDictionary.REGIONS, CoverageDictionary.PROGRAMS)) {
      assertThat(new HashSet<>(CoverageDictionary.names(table))).hasSameSizeAs(table);
      assertThat(table).allSatisfy(entry -> {
        assertThat(entry.name()).matches("[a-z0-9_]+");
        assertThat(entry.type()).isIn("STRING", "BIGINT", "DOUBLE", "DATE");
        assertThat(entry.unit()).isNotBlank();
        assertThat(entry.formula()).isNotBlank();
        assertThat(entry.meaning()).isNotBlank();
      });
    }
    // Every rate is a share whose formula divides two stored counts.
    assertThat(CoverageDictionary.REGIONS.stream().filter(e -> e.type().equals("DOUBLE") && e.unit().startsWith("share")))
        .allSatisfy(e -> assertThat(e.formula()).contains(" / "));
  }
}
