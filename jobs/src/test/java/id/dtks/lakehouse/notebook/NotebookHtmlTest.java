package id.dtks.lakehouse.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How notebook cells write values: the Indonesian way, shares as percentages, ids as they are. */
class NotebookHtmlTest {
  @Test
  void amountsAreGroupedSharesArePercentagesAndIdsAreLeftAlone() {
    assertThat(NotebookHtml.format("rumah_tangga", 1_234_567L)).isEqualTo("1.234.567");
    assertThat(NotebookHtml.format("porsi_nik_valid", 0.82014)).isEqualTo("82,01%");
    assertThat(NotebookHtml.format("porsi_penduduk_desil_1_4", 0.00504)).isEqualTo("0,504%");
    assertThat(NotebookHtml.format("tingkat_padan", 0.0)).isEqualTo("0,00%");
    assertThat(NotebookHtml.format("skor", 12.98765)).isEqualTo("12,988");
    assertThat(NotebookHtml.format("id_rt", 733652L)).isEqualTo("733652");
    assertThat(NotebookHtml.format("versi", 12L)).isEqualTo("12");
    assertThat(NotebookHtml.format("nama_kabkota", null)).isEmpty();
  }

  @Test
  void textIsEscapedSoARegionNameCannotBecomeMarkup() {
    assertThat(NotebookHtml.escape("<b>A & \"B\"</b>")).isEqualTo("&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt;");
  }
}
