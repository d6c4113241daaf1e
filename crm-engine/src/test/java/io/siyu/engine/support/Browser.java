package io.siyu.engine.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver: nothing is downloaded at test time
 * (Selenium Manager is never asked). Without the browser the browser tests fail in CI ({@code CI} set) with what to
 * install, and are skipped loudly on a developer's machine.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SIYU_CHROMIUM", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("SIYU_CHROMEDRIVER",
            "/usr/bin/chromedriver"));
    /** Where screenshots and page costs are written: test artifacts. */
    public static final Path ARTIFACTS = Path.of("target", "browser");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** @return whether Debian's Chromium and its driver are installed */
    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts the browser, or fails (CI) / skips (elsewhere) with the reason. */
    public static Browser start(String language) {
        if (!available()) {
            String missing = "Browser tests need Debian's Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install -y chromium chromium-driver; .ci/run installs them)";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(missing);
            }
            System.err.println("\n!!!!! SKIPPED: " + missing + " !!!!!\n");
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // WeCom's desktop client names itself in the user agent (wxwork/…): the sidebar page looks for it
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=" + language, "--no-first-run", "--disable-extensions",
                "--user-agent=Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/156.0.0.0 Safari/537.36 wxwork/4.1.33 MicroMessenger/7.0.1 Language/zh");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    public ChromeDriver driver() {
        return driver;
    }

    public WebDriverWait waiting(Duration atMost) {
        return new WebDriverWait(driver, atMost);
    }

    /** Saves what the page shows now as {@code target/browser/<name>.png}. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(ARTIFACTS);
        Path file = ARTIFACTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /**
     * What the page cost to load, from the browser's own Resource Timing: the document and every resource it fetched,
     * bytes over the wire (compressed; 0 for what came from the cache), and the time from navigation to the first
     * chart drawn ({@code performance.mark('siyu:first-chart')}; on the sidebar, its first timeline page shown,
     * {@code siyu:first-content}) and to the end of its entrance animation.
     */
    public record PageCost(String page, long requests, long transferredBytes, long decodedBytes,
                           double domContentLoadedMs, double slowestApiMs, Double firstChartMs, Double settledMs,
                           List<String> apiCalls) {
        public String line() {
            return String.format("%s: %d requests, %,d bytes transferred (%,d decoded); scripts ready %.0f ms, "
                            + "slowest API call %.0f ms, first chart (sidebar: first timeline page) %s ms (animation done %s ms); API: %s",
                    page, requests, transferredBytes, decodedBytes, domContentLoadedMs, slowestApiMs,
                    firstChartMs == null ? "-" : String.format("%.0f", firstChartMs),
                    settledMs == null ? "-" : String.format("%.0f", settledMs), apiCalls);
        }
    }

    @SuppressWarnings("unchecked")
    public PageCost cost(String page) {
        Map<String, Object> figures = (Map<String, Object>) driver.executeScript("""
                const nav = performance.getEntriesByType('navigation')[0];
                const resources = performance.getEntriesByType('resource');
                const chart = performance.getEntriesByName('siyu:first-chart')[0]
                  || performance.getEntriesByName('siyu:first-content')[0];
                const settled = performance.getEntriesByName('siyu:chart-settled')[0];
                return {
                  requests: 1 + resources.length,
                  transferred: (nav ? nav.transferSize : 0) + resources.reduce((s, r) => s + r.transferSize, 0),
                  decoded: (nav ? nav.decodedBodySize : 0) + resources.reduce((s, r) => s + r.decodedBodySize, 0),
                  firstChart: chart ? chart.startTime : null,
                  settled: settled ? settled.startTime : null,
                  ready: nav ? nav.domContentLoadedEventEnd : 0,
                  slowestApi: Math.max(0, ...resources.filter(r => r.name.includes('/api/v1/')).map(r => r.duration)),
                  api: resources.filter(r => r.name.includes('/api/v1/')).map(r => new URL(r.name).pathname)
                };""");
        Number chart = (Number) figures.get("firstChart");
        return new PageCost(page, ((Number) figures.get("requests")).longValue(),
                ((Number) figures.get("transferred")).longValue(), ((Number) figures.get("decoded")).longValue(),
                ((Number) figures.get("ready")).doubleValue(), ((Number) figures.get("slowestApi")).doubleValue(),
                chart == null ? null : chart.doubleValue(),
                figures.get("settled") == null ? null : ((Number) figures.get("settled")).doubleValue(),
                (List<String>) figures.get("api"));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
