package io.ganserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import io.ganserve.support.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The console's Inference page in headless Chromium: pick a file, project it, inpaint it, morph two. */
class InferenceConsoleTest extends ServiceOnTempData {

    @DynamicPropertySource
    static void shapes(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 60, 5);
    }

    private static WebDriver driver;

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void aDroppedImageIsProjectedInpaintedAndMorphed() {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        Assumptions.assumeTrue(Files.isExecutable(chromium) && Files.isExecutable(chromedriver),
                "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        HttpApi api = new HttpApi(port);
        api.trainToSuccess("{\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":16,\"latentDim\":16,"
                + "\"steps\":60,\"evaluationSamples\":200,\"seed\":4}", Duration.ofMinutes(5));
        Path disc = data.resolve("datasets/shapes/disc/disc-000.png");
        Path square = data.resolve("datasets/shapes/square/square-000.png");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build(), options);
        driver.get("http://localhost:" + port + "/");
        driver.findElement(By.id("api-key")).sendKeys(TestKeys.ADMIN);
        driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        driver.findElement(By.linkText("Inference")).click();
        waitFor(d -> !d.findElements(By.cssSelector("#inference-model option")).isEmpty());
        waitFor(d -> text("inference-encoder").contains("no encoder"));

        driver.findElement(By.id("inference-image-file")).sendKeys(disc.toAbsolutePath().toString());
        driver.findElement(By.id("inference-steps")).clear();
        driver.findElement(By.id("inference-steps")).sendKeys("20");
        driver.findElement(By.id("inference-project")).click();
        waitFor(d -> text("inference-result").contains("pixel L1"));
        assertThat(text("inference-result")).contains("start random", "20 steps", "(16 values)");
        waitFor(d -> imagesLoaded() == 2);

        driver.findElement(By.id("inference-inpaint")).click();
        waitFor(d -> text("inference-result").contains("392 pixels filled")); // the lower half of 28 x 28
        waitFor(d -> imagesLoaded() == 3);

        driver.findElement(By.id("inference-second-file")).sendKeys(square.toAbsolutePath().toString());
        driver.findElement(By.id("inference-morph")).click();
        waitFor(d -> imagesLoaded() == 1 && text("inference-result").contains("eight steps"));
        Object width = ((JavascriptExecutor) driver).executeScript(
                "return document.querySelector('#inference-result img').naturalWidth");
        assertThat((Long) width).as("a, eight outputs and b side by side").isGreaterThan(10L * 28);
    }

    private static long imagesLoaded() {
        Object n = ((JavascriptExecutor) driver).executeScript("return [...document.querySelectorAll("
                + "'#inference-result img')].filter((i) => i.complete && i.naturalWidth > 0).length");
        return (Long) n;
    }

    private static String text(String id) {
        var found = driver.findElements(By.id(id));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    private static void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }
}
