package id.dtks.lakehouse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** jobs/docs/quarantine-reasons.md lists exactly the codes of {@link QuarantineReason}, with their meanings. */
class QuarantineReasonsDocTest {
  @Test
  void documentationListsEveryReasonCode() throws IOException {
    Path doc = Path.of(System.getProperty("dtks.project.root", "..")).resolve("jobs/docs/quarantine-reasons.md");
    String quarantineSection = Files.readString(doc).split("## NIK and KK-number")[0];
    Pattern row = Pattern.compile("^\\| `([A-Z_]+)` \\| (.+) \\|$", Pattern.MULTILINE);
    Map<String, String> documented = new LinkedHashMap<>();
    Matcher matcher = row.matcher(quarantineSection);
    while (matcher.find()) {
      documented.put(matcher.group(1), matcher.group(2));
    }

    assertThat(documented).isEqualTo(Arrays.stream(QuarantineReason.values())
        .collect(Collectors.toMap(Enum::name, QuarantineReason::meaning, (a, b) -> a, LinkedHashMap::new)));
  }
}
