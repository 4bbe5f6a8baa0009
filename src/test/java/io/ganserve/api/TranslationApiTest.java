package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.support.FakeEmoji;
import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A CycleGAN job over HTTP on two small fake emoji vendors: submitted, trained, scored on held-out
 * pairs, checkpointed; its generators translate uploads both ways and draw held-out grids; and
 * what it refuses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TranslationApiTest extends ServiceOnTempData {

    private static final String JOB = "{\"architecture\":\"cyclegan\",\"dataset\":\"emoji-google\","
            + "\"target\":\"emoji-twitter\",\"steps\":6,\"checkpointEvery\":3,\"evaluateEvery\":3,\"batchSize\":2,\"seed\":4,"
            + "\"cycleGan\":{\"generatorFilters\":4,\"residualBlocks\":1,\"criticFilters\":4,\"poolSize\":4}}";
    private static String jobId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path emoji = data.resolve("emoji");
        FakeEmoji.write(emoji, 150);
        registry.add("ganserve.datasets.emoji-dir", emoji::toString);
        registry.add("ganserve.inversion.max-upload-bytes", () -> "20000B");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        if (field != null) {
            assertThat(new HttpApi(0).json(response).get("field").asString()).as(response.body()).isEqualTo(field);
        }
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static BufferedImage dataUrl(JsonNode url) throws IOException {
        String text = url.asString();
        assertThat(text).startsWith("data:image/png;base64,");
        return decode(Base64.getDecoder().decode(text.substring(text.indexOf(',') + 1)));
    }

    private static Map<String, Object> image(byte[] bytes) {
        return Map.of("image", new HttpApi.FilePart("emoji.png", bytes, "image/png"));
    }

    /** A 32 px emoji-like upload: a transparent background, which the service composites on white. */
    private static byte[] upload(int side) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setColor(new Color(220, 60, 30));
        g.fillOval(4, 4, side - 8, side - 8);
        g.dispose();
        return png(image);
    }

    @Test
    @Order(1)
    void aCycleGanJobTrainsIsScoredOnHeldOutPairsAndKeepsItsState() {
        HttpApi api = new HttpApi(port);
        JsonNode job = api.trainToSuccess(JOB, Duration.ofMinutes(4));
        jobId = job.get("id").asString();
        assertThat(job.get("config").get("architecture").asString()).isEqualTo("cyclegan");
        assertThat(job.get("config").get("translation").get("target").asString()).isEqualTo("emoji-twitter");
        assertThat(job.get("progress").get("step").asLong()).isEqualTo(6);
        assertThat(job.get("losses").get("generator").asDouble()).isPositive();

        JsonNode evaluations = api.json(api.get("/jobs/" + jobId + "/evaluations"));
        java.util.List<Long> steps = new java.util.ArrayList<>();
        for (JsonNode e : evaluations) {
            steps.add(e.get("step").asLong());
        }
        assertThat(steps).as("scored every 3 steps and at the end").containsExactly(3L, 6L);
        JsonNode last = evaluations.get(evaluations.size() - 1);
        assertThat(last.get("status").asString()).as(last.toString()).isEqualTo("SUCCEEDED");
        JsonNode translation = last.get("scores").get("translation");
        for (String direction : new String[] {"forward", "backward"}) {
            JsonNode d = translation.get(direction);
            assertThat(d.get("pairs").asInt()).as(direction).isGreaterThanOrEqualTo(10);
            assertThat(d.get("identityL1").asDouble()).isPositive();
            assertThat(d.get("l1").asDouble()).isBetween(0.0, 1.0);
            assertThat(d.get("reconstructionL1").asDouble()).isBetween(0.0, 1.0);
            assertThat(d.get("judgedTarget").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(translation.get("vendorAccuracy").asDouble()).as("reddish vs bluish").isGreaterThan(0.9);
        assertThat(api.get("/jobs/" + jobId).body()).contains("\"checkpointStep\":6");
        assertThat(job.get("variantFigures").get("cycleLoss").asDouble()).isPositive();
    }

    /** The generators' objective in its parts, step by step: they add up to the generator loss. */
    @Test
    @Order(1)
    void theHistoryKeepsTheAdversarialCycleAndIdentityLosses() {
        HttpApi api = new HttpApi(port);
        JsonNode points = api.json(api.get("/jobs/" + jobId + "/history")).get("points");
        assertThat(points).hasSize(6);
        for (JsonNode p : points) {
            double parts = p.get("adversarialLoss").asDouble() + p.get("cycleLoss").asDouble()
                    + p.get("identityLoss").asDouble();
            assertThat(p.get("cycleLoss").asDouble()).isPositive();
            assertThat(p.get("identityLoss").asDouble()).isPositive();
            assertThat(p.get("generatorLoss").asDouble()).as(p.toString()).isCloseTo(parts, within(1e-4 * parts));
            assertThat(p.has("wassersteinEstimate")).isFalse();
        }
    }

    /** At each checkpoint, the same held-out images translated and back: the progress timeline of a translator. */
    @Test
    @Order(2)
    void eachCheckpointKeepsAGridOfTheSameHeldOutTranslations() throws IOException {
        HttpApi api = new HttpApi(port);
        JsonNode progress = api.json(api.get("/jobs/" + jobId + "/progress"));
        assertThat(progress.get("steps").toString()).isEqualTo("[3,6]");
        assertThat(progress.get("samples").asInt()).isEqualTo(8);
        assertThat(progress.get("shows").asString()).contains("held-out emoji-google", "emoji-twitter");
        HttpResponse<byte[]> three = api.getBytes("/jobs/" + jobId + "/progress/3.png");
        assertThat(three.headers().firstValue("X-Columns")).hasValue("source, translation, reconstruction");
        BufferedImage atThree = decode(three.body());
        BufferedImage atSix = decode(api.getBytes("/jobs/" + jobId + "/progress/6.png").body());
        assertThat(atSix.getWidth()).isEqualTo(3 * 64 + 4 * 2);
        assertThat(atSix.getHeight()).isEqualTo(8 * 64 + 9 * 2);
        // the source column is the same images at every checkpoint; the translations moved
        BufferedImage latest = decode(api.getBytes("/jobs/" + jobId + "/translations?n=8").body());
        assertThat(column(atThree, 0)).isEqualTo(column(atSix, 0)).isEqualTo(column(latest, 0));
        assertThat(column(atThree, 1)).isNotEqualTo(column(atSix, 1));
        assertThat(column(atSix, 1)).as("the last grid is the final generators'").isEqualTo(column(latest, 1));
    }

    /** The pixels of one column of a translation grid (64 px cells at 2 px borders). */
    private static int[] column(BufferedImage grid, int c) {
        int x = 2 + c * 66;
        return grid.getRGB(x, 0, 64, grid.getHeight(), null, 0, 64);
    }

    @Test
    @Order(2)
    void theModelsListShowsTranslatorsApartFromGenerators() {
        HttpApi api = new HttpApi(port);
        JsonNode models = api.json(api.get("/models"));
        assertThat(models.get("models")).isEmpty();
        assertThat(models.get("translating").asString()).isEqualTo(jobId);
        JsonNode t = models.get("translators").get(0);
        assertThat(t.get("jobId").asString()).isEqualTo(jobId);
        assertThat(t.get("source").asString()).isEqualTo("emoji-google");
        assertThat(t.get("target").asString()).isEqualTo("emoji-twitter");
        assertThat(t.get("imageSize").asInt()).isEqualTo(32);
        assertThat(t.get("step").asLong()).isEqualTo(6);
        assertThat(t.get("latest").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void anUploadIsTranslatedBothWaysAsJsonOrPng() throws IOException {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> answer = api.postMultipart("/translations?job=" + jobId, image(upload(32)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode t = api.json(answer);
        assertThat(t.get("model").asString()).isEqualTo(jobId);
        assertThat(t.get("step").asLong()).isEqualTo(6);
        assertThat(t.get("from").asString()).isEqualTo("emoji-google");
        assertThat(t.get("to").asString()).isEqualTo("emoji-twitter");
        BufferedImage input = dataUrl(t.get("input"));
        assertThat(input.getWidth()).isEqualTo(32);
        assertThat(input.getRGB(0, 0) & 0xFFFFFF).as("transparent corner composited on white").isEqualTo(0xFFFFFF);
        assertThat(dataUrl(t.get("translation")).getWidth()).isEqualTo(32);
        assertThat(dataUrl(t.get("reconstruction")).getHeight()).isEqualTo(32);

        JsonNode back = api.json(api.postMultipart("/translations?job=" + jobId + "&direction=backward",
                image(upload(32))));
        assertThat(back.get("from").asString()).isEqualTo("emoji-twitter");
        assertThat(back.get("translation").asString()).as("F is not G").isNotEqualTo(t.get("translation").asString());

        HttpResponse<byte[]> png = api.postMultipartBytes("/translations?format=png", image(upload(32)));
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("X-Model")).as("the newest finished translator").hasValue(jobId);
        assertThat(decode(png.body()).getWidth()).isEqualTo(32);
    }

    @Test
    @Order(3)
    void heldOutImagesComeAsAGridOrAsJson() throws IOException {
        HttpApi api = new HttpApi(port);
        HttpResponse<byte[]> grid = api.getBytes("/jobs/" + jobId + "/translations?n=4");
        assertThat(grid.statusCode()).isEqualTo(200);
        assertThat(grid.headers().firstValue("X-Columns")).hasValue("source, translation, reconstruction");
        BufferedImage picture = decode(grid.body());
        // three columns (source | translation | reconstruction) of 64 px cells (32 px at scale 2), 2 px borders
        assertThat(picture.getWidth()).isEqualTo(3 * 64 + 4 * 2);
        assertThat(picture.getHeight()).isEqualTo(4 * 64 + 5 * 2);
        JsonNode list = api.json(api.get("/jobs/" + jobId + "/translations?n=3&format=json&direction=backward"));
        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("from").asString()).isEqualTo("emoji-twitter");
    }

    @Test
    @Order(4)
    void badUploadsAndParametersAreRefusedNamingTheField() throws IOException {
        HttpApi api = new HttpApi(port);
        assertProblem(api.postMultipart("/translations?job=" + jobId, Map.of("other", "x")), 400, "image");
        assertProblem(api.postMultipart("/translations?job=" + jobId,
                image("not an image at all".getBytes())), 400, "image");
        assertProblem(api.postMultipart("/translations?job=" + jobId, image(upload(64))), 400, "image");
        assertProblem(api.postMultipart("/translations?job=" + jobId, image(new byte[30_000])), 413, "image");
        assertProblem(api.postMultipart("/translations?job=" + jobId + "&direction=sideways", image(upload(32))), 400,
                "direction");
        assertProblem(api.postMultipart("/translations?job=no-such-job", image(upload(32))), 404, null);
        assertProblem(api.get("/jobs/" + jobId + "/translations?n=0"), 400, "n");
        assertProblem(api.get("/jobs/" + jobId + "/translations?n=1.5"), 400, "n");
    }

    @Test
    @Order(5)
    void aCycleGanRequestMustNameAnEmojiTargetAndNoGanField() {
        HttpApi api = new HttpApi(port);
        assertProblem(api.post("/jobs", "{\"architecture\":\"cyclegan\",\"dataset\":\"emoji-google\"}"), 400, "target");
        assertProblem(api.post("/jobs", "{\"architecture\":\"cyclegan\",\"dataset\":\"emoji-google\","
                + "\"target\":\"emoji-google\"}"), 400, "target");
        assertProblem(api.post("/jobs", "{\"architecture\":\"cyclegan\",\"dataset\":\"ring8\","
                + "\"target\":\"emoji-twitter\"}"), 400, "dataset");
        assertProblem(api.post("/jobs", "{\"architecture\":\"cyclegan\",\"dataset\":\"emoji-google\","
                + "\"target\":\"emoji-twitter\",\"loss\":\"wgan\"}"), 400, "loss");
        assertProblem(api.post("/jobs", "{\"architecture\":\"cyclegan\",\"dataset\":\"emoji-google\","
                + "\"target\":\"emoji-twitter\",\"imageSize\":16}"), 400, "imageSize");
        assertProblem(api.post("/jobs", "{\"architecture\":\"cyclegan\",\"dataset\":\"emoji-google\","
                + "\"target\":\"emoji-twitter\",\"cycleGan\":{\"residualBlocks\":2.5}}"), 400, "cycleGan.residualBlocks");
        assertProblem(api.post("/jobs", "{\"dataset\":\"emoji-google\",\"target\":\"emoji-twitter\"}"), 400, "target");
        // a translator is not a generator of noise: sampling does not serve it, nor score it on request
        HttpResponse<String> samples = api.get("/samples?job=" + jobId);
        assertProblem(samples, 404, null);
        assertThat(samples.body()).contains("POST /translations");
        assertProblem(api.post("/jobs/" + jobId + "/evaluations", "{}"), 409, null);
    }
}
