package io.ganserve.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's browser tests' harness: Debian's headless Chromium through Selenium (or a skip that
 * says why, where it is not installed), and what the tests do with the page: wait, read, type,
 * and save screenshots to target/screenshots.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final WebDriver driver;

    private ConsoleBrowser(WebDriver driver) {
        this.driver = driver;
    }

    /** A headless Chromium at 1400 x 1000; the calling test is skipped, saying why, where there is none. */
    static ConsoleBrowser startOrSkip() {
        Path chromium = firstExisting(System.getenv("CHROME_BIN"), "/usr/bin/chromium", "/usr/bin/chromium-browser");
        Path chromedriver = firstExisting(System.getenv("CHROMEDRIVER"), "/usr/bin/chromedriver");
        Assumptions.assumeTrue(chromium != null && chromedriver != null,
                "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver); "
                        + "the console's browser test is skipped");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--hide-scrollbars", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        return new ConsoleBrowser(new ChromeDriver(service, options));
    }

    private static Path firstExisting(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank() && Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    WebDriver driver() {
        return driver;
    }

    void waitFor(Function<WebDriver, Boolean> condition) {
        waitFor(Duration.ofSeconds(30), condition);
    }

    void waitFor(Duration timeout, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class)
                .until(condition::apply);
    }

    /** The text of the first element {@code css} selects; empty when there is none. */
    String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    void type(String id, String value) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    String attribute(String id, String name) {
        List<WebElement> found = driver.findElements(By.id(id));
        return found.isEmpty() ? null : found.getFirst().getAttribute(name);
    }

    /** Whether the image is shown and decoded (a blob: URL the page fetched with the key). */
    boolean imageLoaded(String id) {
        return Boolean.TRUE.equals(js("const i = document.getElementById('" + id + "');"
                + " return !!i && !i.hidden && !!i.offsetParent && i.complete && i.naturalWidth > 0;"));
    }

    long naturalWidth(String id) {
        return (Long) js("return document.getElementById('" + id + "').naturalWidth");
    }

    /** The points a chart of chart.js drew (its data-points). */
    int pointsIn(String chartId) {
        List<WebElement> chart = driver.findElements(By.id(chartId));
        String points = chart.isEmpty() ? null : chart.getFirst().getAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    void scrollTo(String id) {
        js("document.getElementById('" + id + "').scrollIntoView({block: 'start'})");
    }

    /** The whole page, not just the window: the window grows to the page's height for the shot. */
    void shot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Dimension window = driver.manage().window().getSize();
        long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(window.getWidth(),
                (int) Math.min(6000, Math.max(window.getHeight(), height + 140))));
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    /** The top {@code height} pixels of the page, as a viewport of that height shows them. */
    void topShot(String name, int height) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Dimension window = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(window.getWidth(), height));
        long viewport = (Long) js("return window.innerHeight");
        // the window's size counts what surrounds the page; the picture is of the page alone
        driver.manage().window().setSize(new Dimension(window.getWidth(), (int) (2L * height - viewport)));
        try {
            js("window.scrollTo(0, 0)");
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    /** One element as the page lays it out (scrolled into view for the picture). */
    void elementShot(String id, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.findElement(By.id(id)).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
