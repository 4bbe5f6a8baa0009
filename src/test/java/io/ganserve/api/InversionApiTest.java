package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Learned inference over HTTP: the encoder run, projection, morphs, inpainting, and what they refuse. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InversionApiTest extends ServiceOnTempData {

    private static final int MAX_UPLOAD = 20_000;
    private static String jobId;
    private static byte[] disc;
    private static byte[] square;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 100, 3);
        registry.add("ganserve.inversion.max-upload-bytes", () -> MAX_UPLOAD + "B");
        registry.add("ganserve.inversion.default-steps", () -> "30");
    }

    /** Read once the service (and so the shapes folder) exists: the class's properties method writes it. */
    @org.junit.jupiter.api.BeforeEach
    void images() throws IOException {
        Path shapes = data.resolve("datasets").resolve("shapes");
        disc = Files.readAllBytes(shapes.resolve("disc").resolve("disc-000.png"));
        square = Files.readAllBytes(shapes.resolve("square").resolve("square-000.png"));
    }

    private static Map<String, Object> parts(Object... nameAndValue) {
        Map<String, Object> parts = new LinkedHashMap<>();
        for (int i = 0; i < nameAndValue.length; i += 2) {
            Object value = nameAndValue[i + 1];
            parts.put((String) nameAndValue[i], value instanceof byte[] bytes
                    ? new HttpApi.FilePart(nameAndValue[i] + ".png", bytes, "image/png") : value);
        }
        return parts;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static BufferedImage dataUrl(JsonNode url) throws IOException {
        String text = url.asString();
        assertThat(text).startsWith("data:image/png;base64,");
        return decode(Base64.getDecoder().decode(text.substring(text.indexOf(',') + 1)));
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        if (field != null) {
            assertThat(new HttpApi(0).json(response).get("field").asString()).isEqualTo(field);
        }
    }

    @Test
    @Order(1)
    void anEncoderIsTrainedForAFinishedGeneratorOnly() {
        HttpApi api = new HttpApi(port);
        assertProblem(api.post("/jobs/no-such-job/encoder", "{}"), 404, null);
        JsonNode job = api.trainToSuccess("{\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":16,\"latentDim\":16,"
                + "\"steps\":150,\"evaluationSamples\":500,\"seed\":3}", Duration.ofMinutes(5));
        jobId = job.get("id").asString();
        assertProblem(api.get("/jobs/" + jobId + "/encoder"), 404, null);
        assertProblem(api.post("/jobs/" + jobId + "/encoder", "{\"steps\":0}"), 400, "steps");

        // a job still queued or running has no final generator to invert
        HttpResponse<String> queued = api.post("/jobs", "{\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":16,"
                + "\"latentDim\":16,\"steps\":100000}");
        String running = api.json(queued).get("id").asString();
        assertProblem(api.post("/jobs/" + running + "/encoder", "{}"), 409, null);
        api.delete("/jobs/" + running);

        HttpResponse<String> started = api.post("/jobs/" + jobId + "/encoder", "{\"steps\":300,\"batchSize\":32}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValue("/jobs/" + jobId + "/encoder");
        JsonNode record = api.json(started);
        assertThat(record.get("memoryBytes").asLong()).as("declared before it ran").isPositive();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!record.get("status").asString().matches("SUCCEEDED|FAILED") && System.nanoTime() < deadline) {
            HttpApi.sleep(300);
            record = api.json(api.get("/jobs/" + jobId + "/encoder"));
        }
        assertThat(record.get("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
        assertThat(record.get("stepsDone").asLong()).isEqualTo(300);
        // predicting 0 scores 1.0 per dimension on N(0, I) noise
        assertThat(record.get("validationError").asDouble()).isLessThan(0.8);
    }

    @Test
    @Order(2)
    void anUploadIsProjectedFromTheEncoderOrFromRandomNoise() throws IOException {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> answer = api.postMultipart("/projections?job=" + jobId + "&steps=40", parts("image", disc));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode p = api.json(answer);
        assertThat(p.get("model").asString()).isEqualTo(jobId);
        assertThat(p.get("start").asString()).isEqualTo("encoder");
        assertThat(p.get("steps").asInt()).isEqualTo(40);
        assertThat(p.get("latent")).hasSize(16);
        assertThat(p.get("label") == null || p.get("label").isNull()).as("an unconditional model has no class").isTrue();
        assertThat(p.get("featureDistance").isNumber()).as("the shapes' feature network was trained by the job's evaluation")
                .isTrue();
        assertThat(p.get("pixelL1").asDouble()).as("the search never ends worse than its start")
                .isLessThanOrEqualTo(p.get("startPixelL1").asDouble() + 1e-6);
        BufferedImage reconstruction = dataUrl(p.get("reconstruction"));
        assertThat(reconstruction.getWidth()).isEqualTo(28);
        assertThat(reconstruction.getHeight()).isEqualTo(28);

        JsonNode random = api.json(api.postMultipart("/projections?job=" + jobId + "&start=random&seed=5&steps=0",
                parts("image", disc)));
        assertThat(random.get("start").asString()).isEqualTo("random");
        assertThat(random.get("pixelL1").asDouble()).isEqualTo(random.get("startPixelL1").asDouble());

        HttpResponse<byte[]> image = api.postMultipartBytes("/projections?job=" + jobId + "&format=png&steps=5",
                parts("image", square));
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(decode(image.body()).getWidth()).isEqualTo(28);
    }

    @Test
    @Order(3)
    void twoUploadsMorphIntoEachOther() throws IOException {
        HttpApi api = new HttpApi(port);
        HttpResponse<byte[]> one = api.postMultipartBytes("/morphs?job=" + jobId + "&steps=2&projectionSteps=5",
                parts("a", disc, "b", square));
        HttpResponse<byte[]> six = api.postMultipartBytes("/morphs?job=" + jobId + "&steps=6&method=lerp&projectionSteps=5",
                parts("a", disc, "b", square));
        assertThat(one.statusCode()).as(new String(one.body())).isEqualTo(200);
        assertThat(six.statusCode()).isEqualTo(200);
        BufferedImage four = decode(one.body());
        BufferedImage eight = decode(six.body());
        // a, the outputs, b: four more outputs widen the strip by four tiles and their padding
        int tileWithPadding = (eight.getWidth() - four.getWidth()) / 4;
        assertThat(four.getWidth() - tileWithPadding * 4).as("one padding left").isPositive().isLessThan(tileWithPadding);
        assertThat(eight.getHeight()).isEqualTo(four.getHeight());
        assertProblem(api.postMultipart("/morphs?job=" + jobId, parts("a", disc)), 400, "b");
        assertProblem(api.postMultipart("/morphs?job=" + jobId + "&steps=1", parts("a", disc, "b", square)), 400, "steps");
    }

    @Test
    @Order(4)
    void theHiddenPartIsFilledAndTheVisiblePartKept() throws IOException {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> answer = api.postMultipart("/inpaintings?job=" + jobId + "&x=0&y=14&width=28&height=14&steps=20",
                parts("image", disc));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode done = api.json(answer);
        assertThat(done.get("hiddenPixels").asInt()).isEqualTo(28 * 14);
        BufferedImage upload = decode(disc);
        BufferedImage composite = dataUrl(done.get("composite"));
        BufferedImage completion = dataUrl(done.get("completion"));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int expected = y < 14 ? upload.getRaster().getSample(x, y, 0) : completion.getRaster().getSample(x, y, 0);
                assertThat(composite.getRaster().getSample(x, y, 0)).as("pixel %d,%d", x, y).isCloseTo(expected,
                        org.assertj.core.data.Offset.offset(1));
            }
        }
        // the same hidden half as a mask image
        BufferedImage mask = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 14; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        HttpResponse<String> masked = api.postMultipart("/inpaintings?job=" + jobId + "&steps=5",
                parts("image", disc, "mask", png(mask)));
        assertThat(masked.statusCode()).as(masked.body()).isEqualTo(200);
        assertThat(api.json(masked).get("hiddenPixels").asInt()).isEqualTo(28 * 14);

        HttpResponse<byte[]> composed = api.postMultipartBytes("/inpaintings?job=" + jobId
                + "&x=4&y=4&width=8&height=8&steps=5&format=png", parts("image", disc));
        assertThat(composed.headers().firstValue("Content-Type")).hasValue("image/png");

        assertProblem(api.postMultipart("/inpaintings?job=" + jobId, parts("image", disc, "mask",
                png(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY)))), 400, "mask");
        assertProblem(api.postMultipart("/inpaintings?job=" + jobId + "&x=20&y=0&width=10&height=4",
                parts("image", disc)), 400, "rectangle");
        assertProblem(api.postMultipart("/inpaintings?job=" + jobId + "&x=0&y=0&width=4", parts("image", disc)), 400,
                "height");
        assertProblem(api.postMultipart("/inpaintings?job=" + jobId, parts("image", disc)), 400, "mask");
        BufferedImage all = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        all.getGraphics().fillRect(0, 0, 28, 28);
        assertProblem(api.postMultipart("/inpaintings?job=" + jobId, parts("image", disc, "mask", png(all))), 400, "mask");
    }

    @Test
    @Order(6)
    void aConditionalModelIsProjectedOncePerClassAndAnswersTheClosest() throws IOException {
        HttpApi api = new HttpApi(port);
        JsonNode job = api.trainToSuccess("{\"dataset\":\"shapes\",\"conditional\":true,\"imageSize\":28,"
                + "\"featureMaps\":16,\"latentDim\":16,\"steps\":150,\"evaluationSamples\":500,\"seed\":3}",
                Duration.ofMinutes(5));
        String conditional = job.get("id").asString();
        assertProblem(api.post("/jobs/" + conditional + "/encoder", "{}"), 400, "generator");
        // the generator's own sample of class 1, as a PNG: its projection must find class 1 again
        JsonNode sample = api.json(api.get("/samples?job=" + conditional + "&n=1&seed=11&label=1&format=json"));
        JsonNode rows = sample.get("data").get(0).get(0);
        BufferedImage drawn = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                drawn.getRaster().setSample(x, y, 0, (int) Math.round(255 * rows.get(y).get(x).asDouble()));
            }
        }
        HttpResponse<String> answer = api.postMultipart("/projections?job=" + conditional + "&steps=60&seed=2",
                parts("image", png(drawn)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode p = api.json(answer);
        assertThat(p.get("start").asString()).isEqualTo("random");
        assertThat(p.get("label").asInt()).as(p.toString()).isEqualTo(1);
        assertThat(p.get("pixelL1").asDouble()).isLessThan(p.get("startPixelL1").asDouble());
        HttpResponse<byte[]> morph = api.postMultipartBytes("/morphs?job=" + conditional + "&steps=4&projectionSteps=5",
                parts("a", disc, "b", square));
        assertThat(morph.statusCode()).isEqualTo(200);
        assertThat(decode(morph.body()).getWidth()).isGreaterThan(6 * 28);
    }

    @Test
    @Order(7)
    void anInfoGanModelAnswersItsCodes() throws IOException {
        HttpApi api = new HttpApi(port);
        JsonNode job = api.trainToSuccess("{\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":16,"
                + "\"latentDim\":16,\"infoGan\":{\"categorical\":2,\"continuous\":1},\"steps\":100,"
                + "\"evaluateAtEnd\":false,\"seed\":3}", Duration.ofMinutes(5));
        String info = job.get("id").asString();
        HttpResponse<String> answer = api.postMultipart("/projections?job=" + info + "&steps=30&seed=2",
                parts("image", disc));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode p = api.json(answer);
        assertThat(p.get("latent")).hasSize(16);
        assertThat(p.get("codes").get("c1").asInt()).isBetween(0, 1);
        assertThat(p.get("codes").get("c2").isNumber()).isTrue();
        assertThat(p.get("pixelL1").asDouble()).isLessThanOrEqualTo(p.get("startPixelL1").asDouble() + 1e-6);
        HttpResponse<String> inpainted = api.postMultipart("/inpaintings?job=" + info
                + "&x=0&y=14&width=28&height=14&steps=10", parts("image", disc));
        assertThat(inpainted.statusCode()).as(inpainted.body()).isEqualTo(200);
        HttpResponse<byte[]> morph = api.postMultipartBytes("/morphs?job=" + info + "&steps=3&projectionSteps=5",
                parts("a", disc, "b", square));
        assertThat(morph.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void badUploadsAreRefusedWithProblems() throws IOException {
        HttpApi api = new HttpApi(port);
        String path = "/projections?job=" + jobId;
        assertProblem(api.postMultipart(path, parts("image", "not an image".getBytes())), 400, "image");
        assertProblem(api.postMultipart(path, Map.of()), 400, "image");
        assertProblem(api.postMultipart(path, parts("image", png(new BufferedImage(32, 32,
                BufferedImage.TYPE_BYTE_GRAY)))), 400, "image");
        assertProblem(api.postMultipart(path, parts("image", png(new BufferedImage(28, 28,
                BufferedImage.TYPE_INT_RGB)))), 400, "image");
        byte[] large = new byte[MAX_UPLOAD + 1];
        System.arraycopy(disc, 0, large, 0, disc.length);
        assertProblem(api.postMultipart(path, parts("image", large)), 413, "image");
        byte[] cut = java.util.Arrays.copyOf(disc, 40); // a PNG signature and then nothing decodable
        assertProblem(api.postMultipart(path, parts("image", cut)), 400, "image");
        assertProblem(api.postMultipart(path + "&steps=100000", parts("image", disc)), 400, "steps");
        assertProblem(api.postMultipart(path + "&start=somewhere", parts("image", disc)), 400, "start");
        assertProblem(api.postMultipart("/projections?job=no-such-job", parts("image", disc)), 404, null);
        HttpResponse<String> json = api.post("/projections", "{}");
        assertThat(json.statusCode()).isEqualTo(415);

        // a point model cannot be inverted, nor can it get an encoder
        JsonNode points = api.trainToSuccess("{\"dataset\":\"ring8\",\"loss\":\"non-saturating\",\"latentDim\":4,"
                + "\"hiddenUnits\":32,\"hiddenLayers\":1,\"steps\":10,\"evaluateAtEnd\":false}", Duration.ofMinutes(2));
        String pointJob = points.get("id").asString();
        assertProblem(api.post("/jobs/" + pointJob + "/encoder", "{}"), 400, "generator");
        assertProblem(api.postMultipart("/projections?job=" + pointJob, parts("image", disc)), 400, "job");
        assertProblem(api.postMultipart("/projections?job=" + pointJob + "&start=encoder", parts("image", disc)), 400,
                "start");
    }
}
