package io.ganserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.TestKeys;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * A CycleGAN translator in the console, on the real emoji sets (scripts/install-emoji.sh; skipped,
 * saying so, where they are absent): a tiny job started from the form, its page with the loss
 * curves in parts, the progress timeline of held-out translations, the held-out grid under its
 * column headers, the scores on held-out pairs, an uploaded image translated, and the Models page's
 * translators. Screenshots go to target/screenshots.
 */
class TranslatorConsoleTest extends ServiceOnTempData {

    private static ConsoleBrowser page;

    @AfterAll
    static void quit() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    void aTinyCycleGanIsStartedWatchedAndUsedFromTheConsole() throws Exception {
        HttpApi api = new HttpApi(port);
        for (String set : new String[] {"emoji-google", "emoji-twitter"}) {
            Assumptions.assumeTrue(api.json(api.get("/datasets/" + set)).path("available").asBoolean(),
                    set + " is not installed (scripts/install-emoji.sh): the translator's console test is skipped");
        }
        page = ConsoleBrowser.startOrSkip();
        WebDriver browser = page.driver();
        String base = "http://localhost:" + port;
        browser.get(base + "/#/new");
        page.type("api-key", TestKeys.ADMIN);
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        page.waitFor(d -> page.present("#field-architecture option[value=cyclegan]"));

        // the cyclegan choice swaps the GAN fields for the translator's, with the server's ranges and defaults
        assertThat(browser.findElement(By.id("field-loss")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("field-target")).isDisplayed()).isFalse();
        new Select(browser.findElement(By.id("field-architecture"))).selectByValue("cyclegan");
        assertThat(browser.findElement(By.id("field-loss")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("field-latentDim")).isDisplayed()).isFalse();
        assertThat(page.text("#field-cycleGan\\.residualBlocks + .hint")).contains("0 – 9"); // from the OpenAPI schema
        new Select(browser.findElement(By.id("field-dataset"))).selectByValue("emoji-google");
        page.waitFor(d -> page.text("#error-target").contains("is required")); // no target yet: the server says so
        new Select(browser.findElement(By.id("field-target"))).selectByValue("emoji-twitter");
        page.waitFor(d -> "default 16".equals(page.attribute("field-cycleGan.generatorFilters", "placeholder")));
        assertThat(page.attribute("field-steps", "placeholder")).isEqualTo("default 6000");
        assertThat(page.text("#error-target")).isEmpty();
        page.type("field-steps", "20");
        page.type("field-batchSize", "2");
        page.type("field-checkpointEvery", "10");
        page.type("field-imageSize", "32");
        page.type("field-cycleGan.generatorFilters", "4");
        page.type("field-cycleGan.residualBlocks", "1");
        page.type("field-cycleGan.criticFilters", "8");
        page.type("field-cycleGan.poolSize", "4");
        page.shot("20-new-cyclegan-job");
        page.click("job-submit");
        page.waitFor(d -> d.getCurrentUrl().matches(".*#/jobs/[0-9a-f-]{36}$"));
        String id = browser.getCurrentUrl().replaceAll(".*#/jobs/", "");
        page.waitFor(d -> page.text(".job-head h1").contains("emoji-google → emoji-twitter"));
        assertThat(page.text(".job-head h1")).contains("cyclegan · least-squares");

        // trained, then scored on held-out pairs (the judges train first, on the real images)
        page.waitFor(Duration.ofMinutes(10), d -> page.text(".job-head .badge").equals("SUCCEEDED"));
        page.waitFor(d -> page.present("#translation-scores tr[data-direction=backward]"));
        page.waitFor(d -> page.pointsIn("chart-losses") == 2 * 20 && page.pointsIn("chart-cycle") == 3 * 20);
        assertThat(page.text("#chart-cycle")).contains("adversarial", "cycle", "identity");
        page.waitFor(d -> page.text("#job-config").contains("translation.target"));
        assertThat(page.text("#job-config")).as("the GAN-only fields a translator's record carries are not listed")
                .contains("translation.cycleWeight").doesNotContain("variant.", "evaluation.samples");
        assertThat(page.text("#chart-losses")).contains("G + F", "D_A + D_B");
        assertThat(page.text("#translation-scores")).contains("emoji-google → emoji-twitter", "emoji-twitter → emoji-google");
        assertThat(page.text("#translation-scores tr.best")).contains("20");
        assertThat(page.text("#job-best")).contains("Best by forward L1", "step 20");
        JsonNode scores = api.json(api.get("/jobs/" + id + "/evaluations")).get(0).get("scores").get("translation");
        String vendor = String.format("%.1f%%", 100 * scores.get("vendorAccuracy").asDouble());
        assertThat(page.text("#translation-scores")).as("the judges' accuracy").contains(vendor);

        // the timeline: held-out translations at each checkpoint, under their column headers
        page.waitFor(d -> page.imageLoaded("timeline-image") && "20".equals(page.attribute("timeline-image", "data-step")));
        assertThat(page.text("#timeline-image-columns")).contains("source", "translation", "reconstruction");
        assertThat(page.text(".timeline")).contains("held-out emoji-google", "step 20 · 2 of 2");
        browser.findElement(By.id("timeline-slider")).sendKeys(Keys.HOME);
        page.waitFor(d -> page.imageLoaded("timeline-image") && "10".equals(page.attribute("timeline-image", "data-step")));

        // the held-out grid in place of the sampler: drawn as soon as there is a checkpoint
        page.waitFor(d -> page.imageLoaded("translation-image"));
        assertThat(page.naturalWidth("translation-image")).as("three 64 px columns, 2 px borders").isEqualTo(3 * 64 + 4 * 2);
        assertThat(browser.findElements(By.cssSelector("#translation-image-columns .column-head")))
                .extracting(e -> e.getText()).containsExactly("source", "translation", "reconstruction");
        assertThat(page.present("#sample-go")).as("no sampler for a translator").isFalse();
        new Select(browser.findElement(By.id("translation-direction"))).selectByValue("backward");
        page.click("translation-go");
        page.waitFor(d -> page.text("#job-samples .caption").contains("held-out emoji-twitter images"));
        page.waitFor(d -> page.imageLoaded("translation-image"));

        // an upload, translated: first one of the wrong size (nothing is resized), then one of 32 px
        Path dir = Files.createTempDirectory("translate");
        page.driver().findElement(By.id("translate-file")).sendKeys(png(dir.resolve("big.png"), 64).toString());
        page.click("translate-go");
        page.waitFor(d -> page.text("#translate-result .error-text").contains("32"));
        page.driver().findElement(By.id("translate-file")).sendKeys(png(dir.resolve("smile.png"), 32).toString());
        page.click("translate-go");
        page.waitFor(d -> page.imageLoaded("translate-output") && page.imageLoaded("translate-input"));
        assertThat(page.naturalWidth("translate-output")).isEqualTo(32);
        assertThat(page.text("#translate-result")).contains("translation to emoji-twitter");
        page.shot("21-translator-job");

        // the jobs list and the Models page say what it is
        browser.get(base + "/#/jobs");
        page.waitFor(d -> page.text("tr[data-job='" + id + "']").contains("emoji-google → emoji-twitter"));
        browser.get(base + "/#/models");
        page.waitFor(d -> page.present("#translators-table tr[data-translator='" + id + "']"));
        assertThat(page.text("#translators-table")).contains("emoji-google ⇄ emoji-twitter", "32 px", "used");
        page.shot("23-models-translators");
    }

    /** A {@code side}-pixel emoji-like PNG: an orange disc on a transparent background. */
    private static Path png(Path file, int side) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(245, 160, 30));
        g.fillOval(side / 8, side / 8, side * 3 / 4, side * 3 / 4);
        g.setColor(new Color(60, 40, 20));
        g.fillOval(side * 5 / 16, side * 3 / 8, side / 8, side / 8);
        g.fillOval(side * 9 / 16, side * 3 / 8, side / 8, side / 8);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
        return file.toAbsolutePath();
    }
}
