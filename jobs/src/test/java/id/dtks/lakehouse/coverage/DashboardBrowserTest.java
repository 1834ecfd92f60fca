package id.dtks.lakehouse.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import id.dtks.lakehouse.lakehouse.Lakehouse;
import id.dtks.lakehouse.lakehouse.Layer;
import id.dtks.lakehouse.lakehouse.Period;
import id.dtks.lakehouse.testing.TestLakehouse;
import id.dtks.lakehouse.testing.TestLocks;
import id.dtks.lakehouse.testing.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The coverage dashboard of a generated period ({@link TestLakehouse#publishedPeriods()}) opened
 * in Debian's headless Chromium, as a person would open the file: the four charts render from the
 * Vega files beside the page, the table holds the 514 kabupaten/kota and sorts and filters, and the
 * figures are the table's. A screenshot is kept in target/dashboard/.
 */
@ResourceLock(TestLocks.PUBLISHED_PERIODS)
@Order(3)
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Period PERIOD = TestLakehouse.PUBLISHED_PERIODS.get(1);
  private static final Path SCREENSHOTS = Path.of("target", "dashboard");
  private static ChromeDriver browser;
  private static List<Row> districts;
  private static Row nation;
  private static Path page;

  @BeforeAll
  static void openThePage() throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run installs it)").isExecutable();
    assertThat(CHROMEDRIVER).as("Debian's chromium-driver").isExecutable();
    Lakehouse lakehouse = TestLakehouse.publishedPeriods().lakehouse();
    SparkSession spark = TestSpark.session();
    List<Row> regions = spark.read().format("delta").load(lakehouse.table(Layer.GOLD, CoveragePeriod.REGIONS_TABLE))
        .where("periode = '" + PERIOD + "'").collectAsList();
    districts = regions.stream().filter(r -> CoverageDictionary.KABKOTA.equals(r.getAs("tingkat"))).toList();
    nation = regions.stream().filter(r -> CoverageDictionary.NATIONAL.equals(r.getAs("tingkat"))).findFirst().orElseThrow();
    page = Path.of(lakehouse.exportFolder(CoveragePeriod.EXPORT, PERIOD), CoverageDashboard.PAGE).toAbsolutePath();
    assertThat(page).isRegularFile();

    Path profile = Files.createTempDirectory("dtks-chromium");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    // ENGINEERING.md's flags: without the background-networking ones Chromium keeps calling the closed network.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1400,2400");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.get(page.toUri().toString());
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(driver -> driver.findElement(By.tagName("body")).getDomAttribute("data-grafik-selesai") != null
            || driver.findElement(By.tagName("body")).getDomAttribute("data-grafik-gagal") != null);
  }

  @AfterAll
  static void closeTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void everyChartRendersFromTheVegaFilesBesideThePage() throws Exception {
    WebElement body = browser.findElement(By.tagName("body"));
    assertThat(body.getDomAttribute("data-grafik-gagal")).as("chart errors").isNull();
    assertThat(body.getDomAttribute("data-grafik-selesai")).isEqualTo("4");
    // One bar per province, one per failed NIK rule, two per program.
    assertThat(marks("grafik-desil-provinsi", "g.mark-rect.role-mark path")).hasSize(34);
    assertThat(marks("grafik-desil-provinsi", "g.mark-rule.role-mark line")).hasSize(1);
    assertThat(marks("grafik-nik", "g.mark-rect.role-mark path")).hasSize(CoverageDashboard.nikReasons().size());
    assertThat(marks("grafik-program", "g.mark-rect.role-mark path")).hasSize(2 * 5);
    assertThat(marks("grafik-aktivitas", "g.mark-rect.role-mark path")).isNotEmpty();
    // Nothing comes from the network: the page's scripts are the Vega files beside it.
    @SuppressWarnings("unchecked")
    List<String> scripts = (List<String>) ((JavascriptExecutor) browser)
        .executeScript("return [...document.scripts].filter(s => s.src).map(s => s.src)");
    String folder = page.getParent().toUri().toString();
    assertThat(scripts).containsExactly(folder + "vega/vega.min.js", folder + "vega/vega-lite.min.js", folder + "vega/vega-embed.min.js");

    Files.createDirectories(SCREENSHOTS);
    File screenshot = browser.getScreenshotAs(OutputType.FILE);
    Path kept = SCREENSHOTS.resolve("dasbor-" + PERIOD + ".png");
    Files.copy(screenshot.toPath(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(ImageIO.read(kept.toFile()).getWidth()).isGreaterThan(1000);
  }

  @Test
  void theTableHoldsThe514KabupatenKotaAndTheNationalFiguresAreTheTables() {
    List<WebElement> rows = browser.findElements(By.cssSelector("#tabel-kabkota tbody tr"));
    assertThat(rows).hasSize(514);
    assertThat(rows.stream().map(r -> r.getDomAttribute("data-kode")).toList())
        .containsExactlyInAnyOrderElementsOf(districts.stream().map(r -> r.<String>getAs("kode_kabkota")).toList());
    String tiles = browser.findElement(By.id("angka-nasional")).getText();
    NumberFormat indonesian = NumberFormat.getIntegerInstance(Locale.forLanguageTag("id-ID"));
    assertThat(tiles).contains(indonesian.format(nation.<Long>getAs("rumah_tangga")))
        .contains(indonesian.format(nation.<Long>getAs("individu")))
        .contains(indonesian.format(nation.<Long>getAs("meninggal_masih_terdaftar")));
    assertThat(browser.findElement(By.id("jumlah-baris")).getText()).isEqualTo("menampilkan 514 dari 514");
  }

  @Test
  void clickingAColumnSortsTheDistrictsAndTheProvinceFilterKeepsOnlyItsOwn() {
    browser.findElement(By.cssSelector("th[data-kolom='porsi_penduduk_desil_1_4']")).click();
    List<String> expected = districts.stream()
        .sorted(Comparator.comparing((Row r) -> r.<Double>getAs("porsi_penduduk_desil_1_4"),
                Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(r -> r.<String>getAs("kode_kabkota")))
        .map(r -> r.<String>getAs("kode_kabkota")).toList();
    assertThat(codesShown()).isEqualTo(expected);
    assertThat(browser.findElement(By.cssSelector("th[data-kolom='porsi_penduduk_desil_1_4']")).getDomAttribute("aria-sort"))
        .isEqualTo("descending");

    new Select(browser.findElement(By.id("filter-provinsi"))).selectByValue("11");
    Map<String, Long> perProvince = districts.stream().collect(Collectors.groupingBy(r -> r.getAs("kode_provinsi"), Collectors.counting()));
    assertThat(codesShown()).hasSize(perProvince.get("11").intValue()).allSatisfy(code -> assertThat(code).startsWith("11."));
    new Select(browser.findElement(By.id("filter-provinsi"))).selectByValue("");
    assertThat(codesShown()).hasSize(514);
  }

  private static List<String> codesShown() {
    @SuppressWarnings("unchecked")
    List<String> codes = (List<String>) ((JavascriptExecutor) browser)
        .executeScript("return [...document.querySelectorAll('#tabel-kabkota tbody tr')].map(r => r.dataset.kode)");
    return codes;
  }

  private static List<WebElement> marks(String chart, String selector) {
    return browser.findElements(By.cssSelector("#" + chart + " svg " + selector));
  }
}
