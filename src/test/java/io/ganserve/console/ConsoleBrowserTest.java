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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
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

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String MARKUP = "<img src=x onerror=\"window.__pwned=1\"><b>bold</b>";

    @DynamicPropertySource
    static void folderDataset(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 8, 7);
    }

    private static WebDriver driver;
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
        if (driver != null) {
            driver.quit();
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
        waitFor(d -> text("#jobs-table").contains("No jobs yet"));
        shot("01-jobs-empty");

        // the key, typed once, lives in this tab's sessionStorage and nowhere else
        browser.findElement(By.id("api-key")).sendKeys(TestKeys.ADMIN);
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        waitFor(d -> text("#key-state").contains("key set"));
        assertThat(js("return sessionStorage.getItem('ganserve.apiKey')")).isEqualTo(TestKeys.ADMIN);
        assertThat(js("return localStorage.length")).isEqualTo(0L);
        assertThat(js("return JSON.stringify(Object.assign({}, localStorage))")).asString()
                .doesNotContain(TestKeys.ADMIN);
        assertThat(js("return document.cookie")).isEqualTo("");

        browser.findElement(By.linkText("New job")).click();
        waitFor(d -> !d.findElements(By.id("job-submit")).isEmpty());
        new Select(browser.findElement(By.id("field-dataset"))).selectByValue("ring8");
        assertThat(text("#field-steps + .hint")).contains("1 – 1,000,000"); // ranges from the server's schema
        // defaults from the server (POST /jobs/preview): the dataset kind's, then the chosen loss's
        waitFor(d -> "default 10000".equals(attribute("field-steps", "placeholder")));
        new Select(browser.findElement(By.id("field-loss"))).selectByValue("wgan");
        waitFor(d -> "default 0.00005".equals(attribute("field-generatorLearningRate", "placeholder")));
        new Select(browser.findElement(By.id("field-loss"))).selectByValue("");
        type("field-steps", "0");
        browser.findElement(By.id("job-submit")).click();
        waitFor(d -> !text("#error-steps").isBlank());
        assertThat(text("#error-steps")).contains("greater than or equal to 1");
        assertThat(browser.findElement(By.id("field-steps")).getAttribute("aria-invalid")).isEqualTo("true");
        shot("02-form-error-next-to-the-field");

        type("field-steps", "600");
        type("field-checkpointEvery", "100");
        type("field-evaluateEvery", "200");
        type("field-evaluationSamples", "500");
        // mode coverage is finite from the first evaluation (reverse KL is infinite until every mode has samples)
        type("field-extra", "{\"keepBestBy\": \"modes\"}");
        browser.findElement(By.id("job-submit")).click();
        waitFor(d -> d.getCurrentUrl().matches(".*#/jobs/[0-9a-f-]{36}$"));
        jobId = browser.getCurrentUrl().replaceAll(".*#/jobs/", "");
        assertThat(text("#error-steps")).isEmpty();

        // progress and the loss curve move while it trains
        waitFor(Duration.ofMinutes(3), d -> step() > 0 && pointsIn("chart-losses") > 0);
        long firstStep = step();
        int firstPoints = pointsIn("chart-losses");
        shot("03-job-running");
        if (firstStep < 500) {
            waitFor(Duration.ofMinutes(3), d -> step() > firstStep + 20 && pointsIn("chart-losses") > firstPoints);
        } else { // a machine that trains 600 steps between two polls leaves nothing to watch
            System.out.println("note: the job was at step " + firstStep + " when first seen; its progress was not watched");
        }
        assertThat(text("#job-head, .job-head")).containsAnyOf("training", "evaluating", "finishing", "done");

        waitFor(Duration.ofMinutes(8), d -> text(".job-head .badge").equals("SUCCEEDED"));
        waitFor(d -> !d.findElements(By.cssSelector("#chart-scores .marker")).isEmpty());
        assertThat(text("#chart-scores")).contains("best: step");
        assertThat(text("#job-best")).contains("Best by modes: step");
        assertThat(text("#job-config")).contains("ring8", "600", "modes");
        shot("04-job-done");

        // the progress timeline: a grid from the same noise at each of the six checkpoints, scrubbed
        JsonNode progress = api.json(api.get("/jobs/" + jobId + "/progress"));
        assertThat(progress.get("steps").toString()).isEqualTo("[100,200,300,400,500,600]");
        HttpResponse<byte[]> grid = api.getBytes("/jobs/" + jobId + "/progress/100.png");
        assertThat(grid.statusCode()).isEqualTo(200);
        assertThat(grid.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(api.get("/jobs/" + jobId + "/progress/150.png").statusCode()).isEqualTo(404);
        waitFor(d -> imageLoaded("timeline-image") && "600".equals(attribute("timeline-image", "data-step")));
        WebElement slider = browser.findElement(By.id("timeline-slider"));
        slider.sendKeys(Keys.HOME);
        waitFor(d -> imageLoaded("timeline-image") && "100".equals(attribute("timeline-image", "data-step")));
        assertThat(text("#timeline-step")).isEqualTo("step 100 · 1 of 6");
        slider.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        waitFor(d -> "300".equals(attribute("timeline-image", "data-step")));
        scrollTo("timeline-slider");
        shot("04b-progress-timeline");
    }

    @Test
    @Order(2)
    void samplesWithASeedAndInterpolationStripsLoad() throws Exception {
        Assumptions.assumeTrue(jobId != null, "needs the job the form started");
        WebDriver browser = browser();
        browser.get(base() + "/#/jobs/" + jobId);
        waitFor(d -> !d.findElements(By.id("sample-go")).isEmpty());
        type("sample-seed", "1234");
        browser.findElement(By.id("sample-go")).click();
        // a point model: its samples over the real points, with axes, a legend and the step
        waitFor(d -> text("#sample-scatter .caption").contains("seed 1234"));
        assertThat(js("return document.querySelectorAll('#sample-scatter [data-set=generated] circle').length"))
                .isEqualTo(64L);
        assertThat(js("return document.querySelectorAll('#sample-scatter [data-set=\"real (ring8)\"] circle').length"))
                .isEqualTo(2000L);
        assertThat(text("#sample-scatter")).contains("Samples at step 600", "generated", "real (ring8)");
        // ring8's default InfoGAN: its categorical code pinned from the page draws again with c1 fixed
        new Select(browser.findElement(By.id("code-c1"))).selectByValue("3");
        waitFor(d -> text("#sample-scatter .caption").contains("codes c1:3"));
        browser.findElement(By.id("strip-go")).click();
        waitFor(d -> imageLoaded("strip-image"));
        assertThat(js("return document.getElementById('strip-image').src")).asString().startsWith("blob:");
        scrollTo("job-samples");
        shot("05-samples-and-strips");

        browser.get(base() + "/#/samples");
        waitFor(d -> !d.findElements(By.cssSelector("#model-select option")).isEmpty());
        type("sample-seed", "7");
        browser.findElement(By.id("sample-go")).click();
        waitFor(d -> text("#sample-scatter .caption").contains("seed 7"));
        shot("06-samples-page");
        browser.get(base() + "/#/models");
        waitFor(d -> text("#models-table").contains("served"));
        // pinning from the page: the row shows it and the note offers the way back
        browser.findElement(By.cssSelector("[data-pin]")).click();
        waitFor(d -> !d.findElements(By.cssSelector("#models-table [data-pinned]")).isEmpty());
        assertThat(text("#models-default")).contains("pinned");
        shot("07-models");
        browser.findElement(By.id("models-unpin")).click();
        waitFor(d -> d.findElements(By.cssSelector("#models-table [data-pinned]")).isEmpty());
        assertThat(text("#models-default")).contains("newest");
    }

    @Test
    @Order(3)
    void markupInAJobErrorAndAFileNameRendersAsText() throws Exception {
        WebDriver browser = browser();
        TrainingConfig config = TrainingConfig.builder("ring8").hidden(8, 1).steps(10).batchSize(10).latentDim(2).build();
        Instant now = Instant.now();
        store.insert(Job.queued("markup-job", config, now).finished(JobStatus.FAILED, now, MARKUP));

        browser.get(base() + "/#/jobs");
        waitFor(d -> !d.findElements(By.cssSelector("tr[data-job='markup-job'] [data-error]")).isEmpty());
        assertThat(text("tr[data-job='markup-job'] [data-error]")).isEqualTo(MARKUP);
        assertNoInjectedMarkup();
        shot("08-markup-in-a-job-error-list");
        browser.get(base() + "/#/jobs/markup-job");
        waitFor(d -> text("#job-error").contains("onerror"));
        assertThat(text("#job-error .error-message")).isEqualTo(MARKUP);
        assertNoInjectedMarkup();
        shot("09-markup-in-a-job-error-page");

        // an upload whose file name is markup
        Path dir = Files.createTempDirectory("upload");
        Path zip = dir.resolve("<img src=x onerror=window.__pwned=2>.zip");
        Files.write(zip, UploadFiles.zip(UploadFiles.shapeEntries(null, List.of("disc", "square"), 6, 16, 3)));
        browser.get(base() + "/#/datasets");
        waitFor(d -> !d.findElements(By.id("upload-form")).isEmpty());
        type("upload-name", "BAD NAME");
        browser.findElement(By.id("upload-file")).sendKeys(zip.toString());
        browser.findElement(By.id("upload-submit")).click();
        waitFor(d -> !text("#error-upload-name").isBlank());
        type("upload-name", "markup-shapes");
        browser.findElement(By.id("upload-file")).sendKeys(zip.toString());
        browser.findElement(By.id("upload-submit")).click();
        waitFor(d -> text("#upload-result").contains("Uploaded markup-shapes"));
        waitFor(d -> !d.findElements(By.cssSelector("tr[data-dataset='markup-shapes']")).isEmpty());
        assertThat(text("tr[data-dataset='markup-shapes'] [data-filename]")).startsWith("<img src=x onerror=window.__pwned=2>.zip");
        assertNoInjectedMarkup();
        shot("10-datasets-upload");

        // its page: what it is, the file name as text, and real images a row per class
        browser.findElement(By.linkText("markup-shapes")).click();
        waitFor(d -> imageLoaded("dataset-preview"));
        assertThat(text("#dataset-facts")).contains("<img src=x onerror=window.__pwned=2>.zip", "disc, square");
        assertNoInjectedMarkup();
        shot("10b-dataset-page");
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
        waitFor(d -> pointsIn("chart-losses") > 0);
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
        Files.createDirectories(SCREENSHOTS);
        Files.writeString(SCREENSHOTS.resolve("history-100k.txt"), report);
        shot("11-history-100k");
    }

    @Test
    @Order(5)
    void datasetPagesShowRealSamples() throws Exception {
        WebDriver browser = browser();
        assertThat(api.getBytes("/datasets/ring8/preview.png").statusCode()).isEqualTo(200);
        JsonNode fashion = api.json(api.get("/datasets/fashion-mnist"));
        String name = fashion.get("available").asBoolean() ? "fashion-mnist" : "shapes";
        browser.get(base() + "/#/datasets/" + name);
        waitFor(Duration.ofMinutes(1), d -> imageLoaded("dataset-preview"));
        assertThat(text("#dataset-facts")).contains("images");
        shot("12-dataset-" + name);
    }

    // ---- the browser ------------------------------------------------------------------------

    /** A headless Chromium, started once; the test is skipped, saying why, where there is none. */
    private static WebDriver browser() {
        if (driver == null) {
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
            driver = new ChromeDriver(service, options);
        }
        return driver;
    }

    private static Path firstExisting(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank() && Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        waitFor(Duration.ofSeconds(30), condition);
    }

    private static void waitFor(Duration timeout, java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(condition::apply);
    }

    private static String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void type(String id, String value) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private static long step() {
        String progress = text("#job-progress .progress-text");
        return progress.isEmpty() ? 0 : Long.parseLong(progress.split(" / ")[0].replace(",", "").trim());
    }

    private static int pointsIn(String chartId) {
        List<WebElement> chart = driver.findElements(By.id(chartId));
        String points = chart.isEmpty() ? null : chart.getFirst().getAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    private static String attribute(String id, String name) {
        List<WebElement> found = driver.findElements(By.id(id));
        return found.isEmpty() ? null : found.getFirst().getAttribute(name);
    }

    private static boolean imageLoaded(String id) {
        return Boolean.TRUE.equals(js("const i = document.getElementById('" + id + "');"
                + " return !!i && !i.hidden && i.complete && i.naturalWidth > 0;"));
    }

    private static void scrollTo(String id) {
        js("document.getElementById('" + id + "').scrollIntoView({block: 'start'})");
    }

    /** The markup stayed text: no element it describes exists and nothing it carries ran. */
    private static void assertNoInjectedMarkup() {
        assertThat(js("return document.querySelectorAll('img[src=\"x\"], b').length")).isEqualTo(0L);
        assertThat(js("return window.__pwned === undefined")).isEqualTo(true);
    }

    /** The whole page, not just the window: the window grows to the page's height for the shot. */
    private static void shot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        org.openqa.selenium.Dimension window = driver.manage().window().getSize();
        long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(window.getWidth(),
                (int) Math.min(6000, Math.max(window.getHeight(), height + 140))));
        try {
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        } finally {
            driver.manage().window().setSize(window);
        }
    }
}
