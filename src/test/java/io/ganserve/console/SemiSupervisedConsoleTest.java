package io.ganserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import io.ganserve.support.TestKeys;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A semi-supervised classifier in the console, on a generated folder of four shapes: the form's
 * semi-supervised fields (the GAN fields it refuses hidden, labels with the schema's range and the
 * preview's default), a 40-step job started from it, its page with the accuracies beside the
 * baseline's and the best step marked, no progress timeline, and an uploaded image classified.
 * Screenshots go to target/screenshots.
 */
class SemiSupervisedConsoleTest extends ServiceOnTempData {

    private static final int PER_CLASS = 30;
    private static ConsoleBrowser page;

    @DynamicPropertySource
    static void shapes(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, PER_CLASS, 5, ShapeImages.FOUR);
    }

    @AfterAll
    static void quit() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    void aClassifierIsStartedScoredAndAskedFromTheConsole() throws Exception {
        HttpApi api = new HttpApi(port);
        page = ConsoleBrowser.startOrSkip();
        WebDriver browser = page.driver();
        String base = "http://localhost:" + port;
        browser.get(base + "/#/new");
        page.type("api-key", TestKeys.ADMIN);
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        page.waitFor(d -> page.present("#field-architecture option[value=semi-supervised]"));

        // the semi-supervised choice hides the GAN fields it refuses and shows labels, ranged by the schema
        assertThat(browser.findElement(By.id("field-labels")).isDisplayed()).isFalse();
        new Select(browser.findElement(By.id("field-dataset"))).selectByValue("shapes");
        new Select(browser.findElement(By.id("field-architecture"))).selectByValue("semi-supervised");
        for (String refused : List.of("field-loss", "field-discriminatorSteps", "field-hiddenUnits", "field-evaluationSamples",
                "field-target")) {
            assertThat(browser.findElement(By.id(refused)).isDisplayed()).as(refused).isFalse();
        }
        assertThat(browser.findElement(By.id("field-labels")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("field-latentDim")).isDisplayed()).as("its generator's noise").isTrue();
        assertThat(page.text("#field-labels + .hint")).contains("1 – 1,000,000");
        // the defaults are the server's for this kind: 10 labels of each of the 4 classes, 3,000 steps
        page.waitFor(d -> "default 40".equals(page.attribute("field-labels", "placeholder")));
        assertThat(page.attribute("field-steps", "placeholder")).isEqualTo("default 3000");
        page.type("field-labels", "10");
        page.waitFor(d -> page.text("#error-labels").contains("multiple of the 4 classes"));
        for (Map.Entry<String, String> field : Map.of("labels", "8", "imageSize", "28", "featureMaps", "8", "latentDim", "16",
                "steps", "40", "batchSize", "16", "checkpointEvery", "20", "evaluateEvery", "20", "seed", "3").entrySet()) {
            page.type("field-" + field.getKey(), field.getValue());
        }
        page.waitFor(d -> page.text("#error-labels").isEmpty());
        page.shot("30-new-semi-supervised-job");
        page.click("job-submit");
        page.waitFor(d -> d.getCurrentUrl().matches(".*#/jobs/[0-9a-f-]{36}$"));
        String id = browser.getCurrentUrl().replaceAll(".*#/jobs/", "");
        JsonNode config = api.json(api.get("/jobs/" + id)).get("config");
        assertThat(config.get("semiSupervised").get("labels").asInt()).as("the form's request").isEqualTo(8);
        assertThat(config.get("steps").asInt()).isEqualTo(40);
        page.waitFor(d -> page.text(".job-head h1").contains("shapes"));
        assertThat(page.text(".job-head h1")).contains("semi-supervised · 8 labels, 4 classes");

        // trained and scored at steps 20 and 40, each beside its labels-alone baseline
        page.waitFor(Duration.ofMinutes(5), d -> page.text(".job-head .badge").equals("SUCCEEDED"));
        page.waitFor(d -> browser.findElements(By.cssSelector("#classification-scores tbody tr")).size() == 2);
        JsonNode evaluations = api.json(api.get("/jobs/" + id + "/evaluations"));
        JsonNode best = null;
        for (JsonNode e : evaluations) {
            JsonNode c = e.get("scores").get("classification");
            String row = "#classification-scores tr[data-step='" + e.get("step").asLong() + "']";
            assertThat(page.text(row + " td[data-score=accuracy]")).isEqualTo(percent(c.get("accuracy").asDouble()));
            assertThat(page.text(row + " td[data-score=baselineAccuracy]")).isEqualTo(percent(c.get("baselineAccuracy").asDouble()));
            assertThat(page.text(row)).contains(String.valueOf(4 * PER_CLASS)); // a folder is its own test split
            if (best == null || c.get("accuracy").asDouble() > best.get("scores").get("classification").get("accuracy").asDouble()) {
                best = e;
            }
        }
        assertThat(browser.findElements(By.cssSelector("#classification-scores tr.best"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#classification-scores tr.best")).getAttribute("data-step"))
                .isEqualTo(String.valueOf(best.get("step").asLong()));
        assertThat(page.text("#job-best")).contains("Best by accuracy", "step " + best.get("step").asLong());
        assertThat(page.present("#chart-scores")).as("two training-time evaluations are charted").isTrue();
        assertThat(page.text("#chart-scores")).contains("semi-supervised", "labels alone");
        page.waitFor(d -> page.pointsIn("chart-losses") == 2 * 40);
        assertThat(page.text("#chart-losses")).contains("feature matching", "classifier");

        // no progress grids, no sampler; and none of the GAN fields its record carries at neutral values
        assertThat(page.text("#timeline-none")).contains("No progress grids");
        assertThat(page.present("#timeline-slider")).isFalse();
        assertThat(page.present("#sample-go")).isFalse();
        page.waitFor(d -> page.text("#job-config").contains("semiSupervised.labels"));
        assertThat(page.text("#job-config")).doesNotContain("variant.", "evaluation.samples", "evaluation.keepBestBy",
                "discriminatorSteps");

        // an upload of the wrong size is the server's 400; one of 28 px is classified
        Path dir = Files.createTempDirectory("classify");
        Path big = dir.resolve("big.png");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png", big.toFile());
        browser.findElement(By.id("classify-file")).sendKeys(big.toAbsolutePath().toString());
        page.waitFor(d -> page.text("#classify-result .error-text").contains("28"));
        Path bar = data.resolve("datasets").resolve("shapes").resolve("bar").resolve("bar-000.png");
        browser.findElement(By.id("classify-file")).sendKeys(bar.toAbsolutePath().toString());
        page.waitFor(d -> browser.findElements(By.cssSelector("#classify-probabilities li")).size() == 4
                && page.imageLoaded("classify-input"));
        HttpResponse<String> asked = api.postMultipart("/classifications?job=" + id,
                Map.of("image", new HttpApi.FilePart("bar.png", Files.readAllBytes(bar), "image/png")));
        JsonNode answer = api.json(asked);
        List<WebElement> rows = browser.findElements(By.cssSelector("#classify-probabilities li"));
        assertThat(rows).extracting(r -> r.findElement(By.cssSelector(".bar-name")).getText())
                .as("a row per class, in label order").containsExactly("bar", "disc", "square", "triangle");
        for (int k = 0; k < 4; k++) {
            assertThat(rows.get(k).findElement(By.cssSelector(".bar-value")).getText())
                    .isEqualTo(percent(answer.get("probabilities").get(k).get("probability").asDouble()));
        }
        assertThat(page.text("#classify-top-name")).isEqualTo(answer.get("name").asString());
        assertThat(page.text("#classify-top")).contains(percent(answer.get("probability").asDouble()));
        assertThat(browser.findElement(By.cssSelector("#classify-probabilities li.top-class")).getAttribute("data-label"))
                .isEqualTo(String.valueOf(answer.get("label").asInt()));
        assertThat(page.text("#classify-real")).contains(new BigDecimal(answer.get("real").asDouble()).setScale(3, RoundingMode.HALF_UP).toPlainString());
        page.shot("31-semi-supervised-job");
        page.elementShot("job-lower", "32-semi-supervised-classify");

        // the jobs list names it by its labels
        browser.get(base + "/#/jobs");
        page.waitFor(d -> page.text("tr[data-job='" + id + "']").contains("semi-supervised · 8 labels"));
    }

    /** As the page writes it: JavaScript's toFixed(1) rounds the double's exact value, ties up. */
    private static String percent(double p) {
        return new BigDecimal(100 * p).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
    }
}
