package io.ganserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import io.ganserve.support.TestKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's Inference page in headless Chromium: pick a file, project it, inpaint it, morph two;
 * and the job page's nearest-neighbour figure under its column headers.
 */
class InferenceConsoleTest extends ServiceOnTempData {

    @DynamicPropertySource
    static void shapes(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 60, 5);
    }

    private static ConsoleBrowser page;

    @AfterAll
    static void quit() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    void aDroppedImageIsProjectedInpaintedAndMorphed() throws IOException {
        HttpApi api = new HttpApi(port);
        page = ConsoleBrowser.startOrSkip();
        String job = api.trainToSuccess("{\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":16,\"latentDim\":16,"
                + "\"steps\":60,\"evaluationSamples\":200,\"seed\":4}", Duration.ofMinutes(5)).get("id").asString();
        Path disc = data.resolve("datasets/shapes/disc/disc-000.png");
        Path square = data.resolve("datasets/shapes/square/square-000.png");

        WebDriver driver = page.driver();
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
        Object width = page.js("return document.querySelector('#inference-result img').naturalWidth");
        assertThat((Long) width).as("a, eight outputs and b side by side").isGreaterThan(10L * 28);
        page.shot("30-inference-morph");

        // the nearest-neighbour figure on the job's page, its columns named over it
        driver.get("http://localhost:" + port + "/#/jobs/" + job);
        waitFor(d -> !d.findElements(By.id("nearest-go")).isEmpty());
        page.click("nearest-go");
        waitFor(d -> page.imageLoaded("nearest-image"));
        List<String> heads = driver.findElements(By.cssSelector("#nearest-image-columns .column-head")).stream()
                .map(e -> e.getText()).toList();
        assertThat(heads).startsWith("sample", "nearest by pixels").hasSizeBetween(2, 3);
        // the figure is shown wide enough for its headers, each over its own column
        Number shown = (Number) page.js("return document.getElementById('nearest-image').getBoundingClientRect().width");
        Number headed = (Number) page.js("return document.getElementById('nearest-image-columns').getBoundingClientRect().width");
        assertThat(shown.doubleValue()).isGreaterThanOrEqualTo(heads.size() * 100.0).isCloseTo(headed.doubleValue(),
                org.assertj.core.api.Assertions.within(1.0));
        page.scrollTo("nearest-go");
        page.shot("31-nearest-with-column-headers");
    }

    private static long imagesLoaded() {
        Object n = page.js("return [...document.querySelectorAll("
                + "'#inference-result img')].filter((i) => i.complete && i.naturalWidth > 0).length");
        return (Long) n;
    }

    private static String text(String id) {
        return page.text("#" + id);
    }

    private static void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        page.waitFor(Duration.ofSeconds(60), condition);
    }
}
