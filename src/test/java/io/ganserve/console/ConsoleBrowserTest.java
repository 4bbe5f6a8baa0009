package io.ganserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.jobs.Job;
import io.ganserve.jobs.JobStatus;
import io.ganserve.jobs.JobStore;
import io.ganserve.jobs.TrainingHistoryRecorder;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.TrainingHistory;
import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import io.ganserve.support.TestKeys;
import io.ganserve.support.UploadFiles;
import io.ganserve.training.StepResult;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The console in a real browser (Debian's headless Chromium through Selenium) against the real
 * service on a temporary data directory: a user types the key, starts a small ring8 job from the
 * form, watches it and its loss curve move, draws samples with a seed, sees markup in a job's error
 * and a file name shown as text, uploads a dataset, and a 100,000-step history is rendered and
 * timed. Screenshots go to target/screenshots. Without Chromium the browser tests skip and say why;
 * the HTTP checks of the page still run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest extends ServiceOnTempData {

    private static final String MARKUP = "<img src=x onerror=\"window.__pwned=1\"><b>bold</b>";

    @DynamicPropertySource
    static void folderDataset(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 8, 7);
    }

    private static ConsoleBrowser page;
    /** The job started from the form, shared by the tests that follow it. */
    private static String jobId;

    @Autowired
    JobStore store;

    HttpApi api;

    @BeforeEach
    void client() {
        api = new HttpApi(port);
    }

    @AfterAll
    static void quit() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    @Order(0)
    void thePageIsPublicAndItsPolicyForbidsInlineScript() {
        for (String path : List.of("/", "/console/app.js", "/console/console.css")) {
            HttpResponse<String> page = api.anonymous().get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).as(path).contains("script-src 'self'", "style-src 'self'", "object-src", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "*");
        }
        assertThat(api.anonymous().get("/").body()).contains("<script type=\"module\" src=\"/console/app.js\">");
        // the policy is the console's: API answers are left as they were
        assertThat(api.get("/jobs").headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    @Test
    @Order(1)
    void aUserStartsAJobFromTheFormAndWatchesItTrain() throws Exception {
        WebDriver browser = browser();
        browser.get(base() + "/");
        page.waitFor(d -> page.text("#jobs-table").contains("No jobs yet"));
        page.shot("01-jobs-empty");

        // the key, typed once, lives in this tab's sessionStorage and nowhere else
        browser.findElement(By.id("api-key")).sendKeys(TestKeys.ADMIN);
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        page.waitFor(d -> page.text("#key-state").contains("key set"));
        assertThat(page.js("return sessionStorage.getItem('ganserve.apiKey')")).isEqualTo(TestKeys.ADMIN);
        assertThat(page.js("return localStorage.length")).isEqualTo(0L);
        assertThat(page.js("return JSON.stringify(Object.assign({}, localStorage))")).asString()
                .doesNotContain(TestKeys.ADMIN);
        assertThat(page.js("return document.cookie")).isEqualTo("");

        browser.findElement(By.linkText("New job")).click();
        page.waitFor(d -> !d.findElements(By.id("job-submit")).isEmpty());
        new Select(browser.findElement(By.id("field-dataset"))).selectByValue("ring8");
        assertThat(page.text("#field-steps + .hint")).contains("1 – 1,000,000"); // ranges from the server's schema
        // defaults from the server (POST /jobs/preview): the dataset kind's, then the chosen loss's
        page.waitFor(d -> "default 10000".equals(page.attribute("field-steps", "placeholder")));
        new Select(browser.findElement(By.id("field-loss"))).selectByValue("wgan");
        page.waitFor(d -> "default 0.00005".equals(page.attribute("field-generatorLearningRate", "placeholder")));
        new Select(browser.findElement(By.id("field-loss"))).selectByValue("");
        page.type("field-steps", "0");
        browser.findElement(By.id("job-submit")).click();
        page.waitFor(d -> !page.text("#error-steps").isBlank());
        assertThat(page.text("#error-steps")).contains("greater than or equal to 1");
        assertThat(browser.findElement(By.id("field-steps")).getAttribute("aria-invalid")).isEqualTo("true");
        page.shot("02-form-error-next-to-the-field");

        page.type("field-steps", "600");
        page.type("field-checkpointEvery", "100");
        page.type("field-evaluateEvery", "200");
        page.type("field-evaluationSamples", "500");
        // mode coverage is finite from the first evaluation (reverse KL is infinite until every mode has samples)
        page.type("field-extra", "{\"keepBestBy\": \"modes\"}");
        browser.findElement(By.id("job-submit")).click();
        page.waitFor(d -> d.getCurrentUrl().matches(".*#/jobs/[0-9a-f-]{36}$"));
        jobId = browser.getCurrentUrl().replaceAll(".*#/jobs/", "");
        assertThat(page.text("#error-steps")).isEmpty();

        // progress and the loss curve move while it trains
        page.waitFor(Duration.ofMinutes(3), d -> step() > 0 && page.pointsIn("chart-losses") > 0);
        long firstStep = step();
        int firstPoints = page.pointsIn("chart-losses");
        page.shot("03-job-running");
        if (firstStep < 500) {
            page.waitFor(Duration.ofMinutes(3), d -> step() > firstStep + 20 && page.pointsIn("chart-losses") > firstPoints);
        } else { // a machine that trains 600 steps between two polls leaves nothing to watch
            System.out.println("note: the job was at step " + firstStep + " when first seen; its progress was not watched");
        }
        assertThat(page.text("#job-head, .job-head")).containsAnyOf("training", "evaluating", "finishing", "done");

        page.waitFor(Duration.ofMinutes(8), d -> page.text(".job-head .badge").equals("SUCCEEDED"));
        page.waitFor(d -> !d.findElements(By.cssSelector("#chart-scores .marker")).isEmpty());
        assertThat(page.text("#chart-scores")).contains("best: step");
        assertThat(page.text("#job-best")).contains("Best by modes: step");
        // the resolved precision is a row like the others: an MLP trains in float32 on any host by default
        assertThat(page.text("#job-config")).contains("ring8", "600", "modes", "precision", "float32");
        page.shot("04-job-done");
        page.topShot("docs-console", 1760); // docs/console.png is this picture

        // the progress timeline: a grid from the same noise at each of the six checkpoints, scrubbed
        JsonNode progress = api.json(api.get("/jobs/" + jobId + "/progress"));
        assertThat(progress.get("steps").toString()).isEqualTo("[100,200,300,400,500,600]");
        HttpResponse<byte[]> grid = api.getBytes("/jobs/" + jobId + "/progress/100.png");
        assertThat(grid.statusCode()).isEqualTo(200);
        assertThat(grid.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(api.get("/jobs/" + jobId + "/progress/150.png").statusCode()).isEqualTo(404);
        page.waitFor(d -> page.imageLoaded("timeline-image") && "600".equals(page.attribute("timeline-image", "data-step")));
        WebElement slider = browser.findElement(By.id("timeline-slider"));
        slider.sendKeys(Keys.HOME);
        page.waitFor(d -> page.imageLoaded("timeline-image") && "100".equals(page.attribute("timeline-image", "data-step")));
        assertThat(page.text("#timeline-step")).isEqualTo("step 100 · 1 of 6");
        slider.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        page.waitFor(d -> "300".equals(page.attribute("timeline-image", "data-step")));
        page.scrollTo("timeline-slider");
        page.shot("04b-progress-timeline");
    }

    @Test
    @Order(2)
    void samplesWithASeedAndInterpolationStripsLoad() throws Exception {
        Assumptions.assumeTrue(jobId != null, "needs the job the form started");
        WebDriver browser = browser();
        browser.get(base() + "/#/jobs/" + jobId);
        page.waitFor(d -> !d.findElements(By.id("sample-go")).isEmpty());
        page.type("sample-seed", "1234");
        browser.findElement(By.id("sample-go")).click();
        // a point model: its samples over the real points, with axes, a legend and the step
        page.waitFor(d -> page.text("#sample-scatter .caption").contains("seed 1234"));
        assertThat(page.js("return document.querySelectorAll('#sample-scatter [data-set=generated] circle').length"))
                .isEqualTo(64L);
        assertThat(page.js("return document.querySelectorAll('#sample-scatter [data-set=\"real (ring8)\"] circle').length"))
                .isEqualTo(2000L);
        assertThat(page.text("#sample-scatter")).contains("Samples at step 600", "generated", "real (ring8)");
        // ring8's default InfoGAN: its categorical code pinned from the page draws again with c1 fixed
        new Select(browser.findElement(By.id("code-c1"))).selectByValue("3");
        page.waitFor(d -> page.text("#sample-scatter .caption").contains("codes c1:3"));
        browser.findElement(By.id("strip-go")).click();
        page.waitFor(d -> page.imageLoaded("strip-image"));
        assertThat(page.js("return document.getElementById('strip-image').src")).asString().startsWith("blob:");
        page.scrollTo("job-samples");
        page.shot("05-samples-and-strips");

        browser.get(base() + "/#/samples");
        page.waitFor(d -> !d.findElements(By.cssSelector("#model-select option")).isEmpty());
        page.type("sample-seed", "7");
        browser.findElement(By.id("sample-go")).click();
        page.waitFor(d -> page.text("#sample-scatter .caption").contains("seed 7"));
        page.shot("06-samples-page");
        browser.get(base() + "/#/models");
        page.waitFor(d -> page.text("#models-table").contains("served"));
        // pinning from the page: the row shows it and the note offers the way back
        browser.findElement(By.cssSelector("[data-pin]")).click();
        page.waitFor(d -> !d.findElements(By.cssSelector("#models-table [data-pinned]")).isEmpty());
        assertThat(page.text("#models-default")).contains("pinned");
        page.shot("07-models");
        browser.findElement(By.id("models-unpin")).click();
        page.waitFor(d -> d.findElements(By.cssSelector("#models-table [data-pinned]")).isEmpty());
        assertThat(page.text("#models-default")).contains("newest");
    }

    @Test
    @Order(3)
    void markupInAJobErrorAndAFileNameRendersAsText() throws Exception {
        WebDriver browser = browser();
        TrainingConfig config = TrainingConfig.builder("ring8").hidden(8, 1).steps(10).batchSize(10).latentDim(2).build();
        Instant now = Instant.now();
        store.insert(Job.queued("markup-job", config, now).finished(JobStatus.FAILED, now, MARKUP));

        browser.get(base() + "/#/jobs");
        page.waitFor(d -> !d.findElements(By.cssSelector("tr[data-job='markup-job'] [data-error]")).isEmpty());
        assertThat(page.text("tr[data-job='markup-job'] [data-error]")).isEqualTo(MARKUP);
        assertNoInjectedMarkup();
        page.shot("08-markup-in-a-job-error-list");
        browser.get(base() + "/#/jobs/markup-job");
        page.waitFor(d -> page.text("#job-error").contains("onerror"));
        assertThat(page.text("#job-error .error-message")).isEqualTo(MARKUP);
        assertNoInjectedMarkup();
        page.shot("09-markup-in-a-job-error-page");

        // an upload whose file name is markup
        Path dir = Files.createTempDirectory("upload");
        Path zip = dir.resolve("<img src=x onerror=window.__pwned=2>.zip");
        Files.write(zip, UploadFiles.zip(UploadFiles.shapeEntries(null, List.of("disc", "square"), 6, 16, 3)));
        browser.get(base() + "/#/datasets");
        page.waitFor(d -> !d.findElements(By.id("upload-form")).isEmpty());
        page.type("upload-name", "BAD NAME");
        browser.findElement(By.id("upload-file")).sendKeys(zip.toString());
        browser.findElement(By.id("upload-submit")).click();
        page.waitFor(d -> !page.text("#error-upload-name").isBlank());
        page.type("upload-name", "markup-shapes");
        browser.findElement(By.id("upload-file")).sendKeys(zip.toString());
        browser.findElement(By.id("upload-submit")).click();
        page.waitFor(d -> page.text("#upload-result").contains("Uploaded markup-shapes"));
        page.waitFor(d -> !d.findElements(By.cssSelector("tr[data-dataset='markup-shapes']")).isEmpty());
        assertThat(page.text("tr[data-dataset='markup-shapes'] [data-filename]")).startsWith("<img src=x onerror=window.__pwned=2>.zip");
        assertNoInjectedMarkup();
        page.shot("10-datasets-upload");

        // its page: what it is, the file name as text, and real images a row per class
        browser.findElement(By.linkText("markup-shapes")).click();
        page.waitFor(d -> page.imageLoaded("dataset-preview"));
        assertThat(page.text("#dataset-facts")).contains("<img src=x onerror=window.__pwned=2>.zip", "disc, square");
        assertNoInjectedMarkup();
        page.shot("10b-dataset-page");
        assertThat(api.getBytes("/datasets/markup-shapes/preview.png").headers().firstValue("Content-Type"))
                .hasValue("image/png");
        assertThat(api.get("/datasets/no-such-set/preview.png").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void aHundredThousandStepHistoryStaysBoundedAndRendersQuickly() throws Exception {
        WebDriver browser = browser();
        // a real job, cancelled, whose history is then that of a 100,000-step run
        HttpResponse<String> created = api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":100000}");
        String id = api.json(created).get("id").asString();
        api.delete("/jobs/" + id);
        JsonNode done = api.awaitFinished(id, Duration.ofMinutes(2));
        assertThat(done.get("status").asString()).isEqualTo("CANCELLED");
        Job job = store.find(id).orElseThrow();
        ModelRegistry registry = new ModelRegistry(data, 3);
        TrainingHistoryRecorder recorder = new TrainingHistoryRecorder(registry, 1000, Duration.ofDays(1),
                Clock.systemUTC());
        Random noise = new Random(1);
        Job running = job.started(Instant.now(), 0, 0);
        recorder.jobStarted(running);
        for (long step = 1; step <= 100_000; step++) {
            double t = step / 100_000.0;
            recorder.stepCompleted(running.progressed(step, t * 40, new StepResult(
                    (float) (0.7 + 0.8 * t + 0.3 * noise.nextGaussian()), (float) (1.4 - 0.3 * t + 0.2 * noise.nextGaussian()),
                    null, null, (float) (Math.log(8) * (1 - Math.exp(-8 * t)))), 2000, 0.128));
        }
        recorder.jobFinished(running);
        long bytes = Files.size(data.resolve("jobs").resolve(id).resolve("history.json"));
        TrainingHistory stored = registry.history(id).orElseThrow();
        assertThat(stored.recordedSteps()).isEqualTo(100_000);
        assertThat(stored.points()).hasSizeLessThanOrEqualTo(1000);
        assertThat(bytes).isLessThan(200_000);

        long opened = System.nanoTime();
        browser.get(base() + "/#/jobs/" + id);
        page.waitFor(d -> page.pointsIn("chart-losses") > 0);
        double pageMs = (System.nanoTime() - opened) / 1e6;
        double chartMs = Double.parseDouble(browser.findElement(By.id("chart-losses")).getAttribute("data-render-ms"));
        @SuppressWarnings("unchecked")
        Map<String, Object> timed = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const { lineChart } = await import('/console/chart.js');
                  const t0 = performance.now();
                  const history = await (await fetch('/jobs/%s/history')).json();
                  const t1 = performance.now();
                  const xs = history.points.map((p) => p.step);
                  const fig = lineChart({ title: 'timed', series: [
                    { name: 'G', color: '#000', xs, ys: history.points.map((p) => p.generatorLoss) },
                    { name: 'D', color: '#f00', xs, ys: history.points.map((p) => p.discriminatorLoss) }] });
                  document.body.append(fig); fig.getBoundingClientRect();
                  const t2 = performance.now();
                  const raw = Array.from({ length: 100000 }, (_, i) => i + 1);
                  const ys = raw.map((i) => Math.sin(i / 500) + Math.random() * 0.3);
                  const t3 = performance.now();
                  const big = lineChart({ title: 'raw', series: [{ name: 'G', color: '#000', xs: raw, ys }] });
                  document.body.append(big); big.getBoundingClientRect();
                  const t4 = performance.now();
                  fig.remove(); big.remove();
                  done({ fetchMs: t1 - t0, renderMs: t2 - t1, points: history.points.length, rawRenderMs: t4 - t3,
                         bytes: JSON.stringify(history).length });
                })().catch((e) => done({ error: String(e) }));
                """.formatted(id));
        assertThat(timed).doesNotContainKey("error");
        String report = String.format(
                "100,000-step history: %d points, history.json %,d bytes, answer %,d bytes; fetch+parse %.1f ms, "
                        + "chart render %.1f ms (in the page's own refresh: %.1f ms; page open to curve drawn %.0f ms); "
                        + "the same chart fed 100,000 raw points: %.1f ms%n",
                stored.points().size(), bytes, ((Number) timed.get("bytes")).longValue(),
                ((Number) timed.get("fetchMs")).doubleValue(), ((Number) timed.get("renderMs")).doubleValue(), chartMs,
                pageMs, ((Number) timed.get("rawRenderMs")).doubleValue());
        System.out.print(report);
        Files.createDirectories(ConsoleBrowser.SCREENSHOTS);
        Files.writeString(ConsoleBrowser.SCREENSHOTS.resolve("history-100k.txt"), report);
        page.shot("11-history-100k");
    }

    @Test
    @Order(5)
    void datasetPagesShowRealSamples() throws Exception {
        WebDriver browser = browser();
        assertThat(api.getBytes("/datasets/ring8/preview.png").statusCode()).isEqualTo(200);
        JsonNode fashion = api.json(api.get("/datasets/fashion-mnist"));
        String name = fashion.get("available").asBoolean() ? "fashion-mnist" : "shapes";
        browser.get(base() + "/#/datasets/" + name);
        page.waitFor(Duration.ofMinutes(1), d -> page.imageLoaded("dataset-preview"));
        assertThat(page.text("#dataset-facts")).contains("images");
        page.shot("12-dataset-" + name);
    }

    @Test
    @Order(6)
    void aJobIsCancelledFromTheJobsList() throws Exception {
        WebDriver browser = browser();
        String id = api.json(api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":100000}")).get("id").asString();
        browser.get(base() + "/#/jobs");
        String row = "tr[data-job='" + id + "']";
        page.waitFor(d -> page.present(row + " [data-cancel]"));
        assertThat(page.text(row + " .badge")).isIn("QUEUED", "RUNNING");
        browser.findElement(By.cssSelector(row + " [data-cancel]")).click();
        page.waitFor(Duration.ofMinutes(1), d -> page.text(row + " .badge").equals("CANCELLED"));
        assertThat(page.present(row + " [data-cancel]")).as("no Cancel on a finished job").isFalse();
        assertThat(api.json(api.get("/jobs/" + id)).get("status").asString()).isEqualTo("CANCELLED");
        page.shot("13-jobs-cancelled");
    }

    // ---- the browser ------------------------------------------------------------------------

    /** The headless Chromium, started once for the class; the test is skipped, saying why, where there is none. */
    private static WebDriver browser() {
        if (page == null) {
            page = ConsoleBrowser.startOrSkip();
        }
        return page.driver();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static long step() {
        String progress = page.text("#job-progress .progress-text");
        return progress.isEmpty() ? 0 : Long.parseLong(progress.split(" / ")[0].replace(",", "").trim());
    }

    /** The markup stayed text: no element it describes exists and nothing it carries ran. */
    private static void assertNoInjectedMarkup() {
        assertThat(page.js("return document.querySelectorAll('img[src=\"x\"], b').length")).isEqualTo(0L);
        assertThat(page.js("return window.__pwned === undefined")).isEqualTo(true);
    }
}
