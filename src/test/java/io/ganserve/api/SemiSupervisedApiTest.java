package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * A semi-supervised job over HTTP on a small folder of four shapes: trained with 8 labels beside
 * its labels-alone baseline, both scored on the test images, checkpointed; its classifier answers
 * an upload with class probabilities; and what it refuses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SemiSupervisedApiTest extends ServiceOnTempData {

    private static final int MAX_UPLOAD = 20_000;
    private static final int PER_CLASS = 30;
    private static final String JOB = "{\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":8,"
            + "\"imageSize\":28,\"featureMaps\":8,\"latentDim\":16,\"steps\":40,\"batchSize\":16,"
            + "\"checkpointEvery\":20,\"evaluateEvery\":20,\"seed\":3}";
    private static String jobId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, PER_CLASS, 5, ShapeImages.FOUR);
        registry.add("ganserve.inversion.max-upload-bytes", () -> MAX_UPLOAD + "B");
    }

    private static byte[] shape(String name) throws IOException {
        Path folder = data.resolve("datasets").resolve("shapes").resolve(name);
        return Files.readAllBytes(folder.resolve(name + "-000.png"));
    }

    private static Map<String, Object> image(byte[] bytes) {
        return Map.of("image", new HttpApi.FilePart("image.png", bytes, "image/png"));
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
            assertThat(new HttpApi(0).json(response).get("field").asString()).as(response.body()).isEqualTo(field);
        }
    }

    @Test
    @Order(1)
    void aJobTrainsTheClassifierAndItsBaselineAndReportsBothAccuracies() {
        HttpApi api = new HttpApi(port);
        JsonNode job = api.trainToSuccess(JOB, Duration.ofMinutes(4));
        jobId = job.get("id").asString();
        JsonNode config = job.get("config");
        assertThat(config.get("architecture").asString()).isEqualTo("semi-supervised");
        assertThat(config.get("semiSupervised").get("labels").asInt()).isEqualTo(8);
        assertThat(config.get("semiSupervised").get("classes").asInt()).isEqualTo(4);
        assertThat(config.has("translation")).isFalse();
        assertThat(job.get("resources").get("memoryBytes").asLong()).as("priced before it ran").isPositive();
        assertThat(job.get("resources").get("diskBytes").asLong()).isPositive();
        assertThat(job.get("checkpointStep").asLong()).isEqualTo(40);
        assertThat(job.get("losses").get("discriminator").asDouble()).as("the classifier's loss").isPositive();
        assertThat(job.get("losses").get("generator").asDouble()).as("feature matching").isPositive();

        JsonNode evaluations = api.json(api.get("/jobs/" + jobId + "/evaluations"));
        assertThat(evaluations).as("evaluateEvery 20 and the end").hasSize(2);
        List<Long> steps = new ArrayList<>();
        for (JsonNode e : evaluations) {
            assertThat(e.get("status").asString()).as(e.toString()).isEqualTo("SUCCEEDED");
            steps.add(e.get("step").asLong());
            JsonNode c = e.get("scores").get("classification");
            assertThat(c.get("labels").asInt()).isEqualTo(8);
            assertThat(c.get("testImages").asInt()).as("a folder is its own test split").isEqualTo(4 * PER_CLASS);
            assertThat(c.get("accuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(c.get("baselineAccuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(e.get("scores").has("frechetDistance")).as("no generator is scored").isFalse();
        }
        assertThat(steps).containsExactly(20L, 40L);
        JsonNode latest = job.get("quality").get("latest").get("scores").get("classification");
        assertThat(latest.get("accuracy").asDouble())
                .isEqualTo(evaluations.get(1).get("scores").get("classification").get("accuracy").asDouble());

        JsonNode points = api.json(api.get("/jobs/" + jobId + "/history")).get("points");
        assertThat(points).isNotEmpty();
        assertThat(points.get(points.size() - 1).get("step").asLong()).isEqualTo(40);
        assertThat(points.get(0).get("discriminatorLoss").isNumber()).isTrue();
    }

    @Test
    @Order(2)
    void anUploadIsClassifiedWithProbabilitiesThatSumToOne() throws IOException {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> answer = api.postMultipart("/classifications?job=" + jobId, image(shape("disc")));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode c = api.json(answer);
        assertThat(c.get("model").asString()).isEqualTo(jobId);
        assertThat(c.get("step").asLong()).isEqualTo(40);
        assertThat(c.get("dataset").asString()).isEqualTo("shapes");
        assertThat(c.get("labels").asInt()).isEqualTo(8);
        JsonNode probabilities = c.get("probabilities");
        assertThat(probabilities).hasSize(4);
        List<String> names = new ArrayList<>();
        double sum = 0;
        double best = 0;
        for (int k = 0; k < 4; k++) {
            JsonNode p = probabilities.get(k);
            assertThat(p.get("label").asInt()).isEqualTo(k);
            names.add(p.get("name").asString());
            assertThat(p.get("probability").asDouble()).isBetween(0.0, 1.0);
            sum += p.get("probability").asDouble();
            best = Math.max(best, p.get("probability").asDouble());
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(names).as("the class folders, in label order").containsExactly("bar", "disc", "square", "triangle");
        int label = c.get("label").asInt();
        assertThat(c.get("probability").asDouble()).isEqualTo(best);
        assertThat(probabilities.get(label).get("probability").asDouble()).isEqualTo(best);
        assertThat(c.get("name").asString()).isEqualTo(names.get(label));
        assertThat(c.get("real").asDouble()).isStrictlyBetween(0.0, 1.0);

        // without job: the newest finished semi-supervised job
        HttpResponse<String> newest = api.postMultipart("/classifications", image(shape("square")));
        assertThat(newest.statusCode()).as(newest.body()).isEqualTo(200);
        assertThat(newest.headers().firstValue("X-Model")).hasValue(jobId);
        assertThat(api.json(newest).get("probabilities").toString()).as("another image, other probabilities")
                .isNotEqualTo(probabilities.toString());
    }

    @Test
    @Order(3)
    void badUploadsAndOtherJobsAreRefused() throws IOException {
        HttpApi api = new HttpApi(port);
        String url = "/classifications?job=" + jobId;
        assertProblem(api.postMultipart(url, Map.of("other", "x")), 400, "image");
        assertProblem(api.postMultipart(url, image("not an image at all".getBytes())), 400, "image");
        assertProblem(api.postMultipart(url, image(png(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY)))),
                400, "image");
        HttpResponse<String> colour = api.postMultipart(url,
                image(png(new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB))));
        assertProblem(colour, 400, "image");
        assertThat(colour.body()).contains("1 channel");
        assertProblem(api.postMultipart(url, image(new byte[MAX_UPLOAD + 1])), 413, "image");
        HttpResponse<String> unknown = api.postMultipart("/classifications?job=no-such-job", image(shape("disc")));
        assertProblem(unknown, 404, null);
        assertThat(unknown.body()).contains("no-such-job");

        // a GAN job has no classifier
        HttpResponse<String> gan = api.post("/jobs", "{\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":8,"
                + "\"latentDim\":16,\"steps\":100000}");
        assertThat(gan.statusCode()).as(gan.body()).isEqualTo(202);
        String ganId = api.json(gan).get("id").asString();
        try {
            HttpResponse<String> other = api.postMultipart("/classifications?job=" + ganId, image(shape("disc")));
            assertProblem(other, 409, null);
            assertThat(other.body()).contains(ganId).contains("dcgan");
        } finally {
            api.delete("/jobs/" + ganId);
        }

        // and a classifier job serves no samples, nor is scored on request
        HttpResponse<String> samples = api.get("/samples?job=" + jobId);
        assertProblem(samples, 404, null);
        assertThat(samples.body()).contains("POST /classifications");
        assertProblem(api.post("/jobs/" + jobId + "/evaluations", "{}"), 409, null);
    }

    @Test
    @Order(4)
    void requestsAreRefusedNamingTheField() {
        HttpApi api = new HttpApi(port);
        String semi = "{\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",";
        assertProblem(api.post("/jobs", semi + "\"labels\":2.5}"), 400, "labels");
        assertProblem(api.post("/jobs", semi + "\"labels\":\"eight\"}"), 400, "labels");
        assertProblem(api.post("/jobs", semi + "\"labels\":0}"), 400, "labels");
        HttpResponse<String> share = api.post("/jobs", semi + "\"labels\":10}");
        assertProblem(share, 400, "labels");
        assertThat(share.body()).contains("multiple of the 4 classes");
        assertProblem(api.post("/jobs", semi + "\"labels\":124}"), 400, "labels");
        assertProblem(api.post("/jobs", semi + "\"labels\":8,\"loss\":\"hinge\"}"), 400, "loss");
        assertProblem(api.post("/jobs", semi + "\"labels\":8,\"stopWhen\":{\"metric\":\"fd\",\"below\":1}}"), 400,
                "stopWhen");
        assertProblem(api.post("/jobs", "{\"architecture\":\"semi-supervised\",\"dataset\":\"ring8\"}"), 400, "dataset");
        assertProblem(api.post("/jobs", "{\"dataset\":\"shapes\",\"labels\":8}"), 400, "labels");
        HttpResponse<String> preview = api.post("/jobs/preview", semi + "\"labels\":12}");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(api.json(preview).get("semiSupervised").get("labels").asInt()).isEqualTo(12);
    }
}
