package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import io.ganserve.support.ShapeImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Scores over HTTP: during training, on request, early stop, keep-best and nearest neighbours. */
class EvaluationJobsTest extends ServiceOnTempData {

    /** The plain GAN (a named loss turns off the points' default InfoGAN), small enough to train in seconds. */
    private static final String SMALL_RING = "\"dataset\":\"ring8\",\"loss\":\"non-saturating\",\"latentDim\":4,\"hiddenUnits\":64,"
            + "\"hiddenLayers\":2,\"batchSize\":256,\"seed\":7";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 200, 3);
    }

    private static JsonNode train(HttpApi api, String body) {
        return api.trainToSuccess(body, Duration.ofMinutes(4));
    }

    @Test
    void aPointJobIsScoredWhileItTrainsOnRequestAndKeepsItsBestGenerator() {
        HttpApi api = new HttpApi(port);
        JsonNode job = train(api, "{" + SMALL_RING + ",\"steps\":1500,\"evaluateEvery\":500}");
        String id = job.get("id").asString();
        JsonNode latest = job.get("quality").get("latest");
        assertThat(latest.get("step").asLong()).isEqualTo(1500);
        assertThat(latest.get("samples").asInt()).isEqualTo(2500);
        assertThat(latest.get("scores").get("modeCount").asInt()).isEqualTo(8);
        long bestStep = job.get("quality").get("bestStep").asLong();
        assertThat(bestStep).isIn(500L, 1000L, 1500L);

        JsonNode during = api.json(api.get("/jobs/" + id + "/evaluations"));
        assertThat(during).hasSize(3);
        assertThat(during.get(0).get("trigger").asString()).isEqualTo("training");
        double bestKl = Double.MAX_VALUE;
        for (JsonNode e : during) {
            bestKl = Math.min(bestKl, e.get("scores").get("reverseKl").asDouble());
        }
        assertThat(job.get("quality").get("bestScore").asDouble()).as("kept by reverse KL, the lowest").isEqualTo(bestKl);

        // the job's own sample count and seed: the served final generator must score what training scored
        HttpResponse<String> started = api.post("/jobs/" + id + "/evaluations", "{\"samples\":2500,\"seed\":7}");
        assertThat(started.statusCode()).isEqualTo(202);
        String evaluationId = api.json(started).get("id").asString();
        JsonNode requested = awaitEvaluation(api, id, evaluationId);
        assertThat(requested.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(requested.get("trigger").asString()).isEqualTo("request");
        assertThat(requested.get("samples").asInt()).isEqualTo(2500);
        assertThat(requested.get("seed").asLong()).isEqualTo(7);
        for (String score : new String[] {"modesCovered", "highQuality"}) {
            assertThat(requested.get("scores").get(score).asDouble()).as(score)
                    .isEqualTo(latest.get("scores").get(score).asDouble());
        }
        assertThat(Instant.parse(requested.get("finishedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(requested.get("requestedAt").asString()));

        HttpResponse<byte[]> best = api.getBytes("/samples?job=" + id + "&checkpoint=best&n=4");
        assertThat(best.statusCode()).isEqualTo(200);
        JsonNode bestJson = api.json(api.get("/samples?job=" + id + "&checkpoint=best&n=4&format=json"));
        assertThat(bestJson.get("step").asLong()).isEqualTo(bestStep);
        assertThat(api.get("/samples?checkpoint=best").statusCode()).as("best needs a job").isEqualTo(400);
        assertThat(api.get("/samples?job=" + id + "&checkpoint=oldest").statusCode()).isEqualTo(400);

        HttpResponse<String> scrape = api.get("/actuator/prometheus");
        assertThat(scrape.body()).contains("gan_evaluation_score{").contains("metric=\"kl\"").contains(id);
    }

    @Test
    void aRunStopsEarlyWhenItsConditionIsMet() {
        HttpApi api = new HttpApi(port);
        JsonNode job = train(api, "{" + SMALL_RING + ",\"steps\":3000,\"evaluateEvery\":250,"
                + "\"stopWhen\":{\"metric\":\"modes\",\"above\":0.5}}");
        assertThat(job.get("progress").get("step").asLong()).as("stopped at the first evaluation").isEqualTo(250);
        assertThat(job.get("quality").get("stopReason").asString()).contains("modes").contains("250");
        JsonNode samples = api.json(api.get("/samples?job=" + job.get("id").asString() + "&format=json&n=2"));
        assertThat(samples.get("step").asLong()).isEqualTo(250);
    }

    @Test
    void badEvaluationRequestsAreRefused() {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> metric = api.post("/jobs", "{\"dataset\":\"ring8\",\"stopWhen\":{\"metric\":\"beauty\"}}");
        assertThat(metric.statusCode()).isEqualTo(400);
        HttpResponse<String> every = api.post("/jobs", "{\"dataset\":\"ring8\",\"evaluateEvery\":-1}");
        assertThat(every.statusCode()).isEqualTo(400);
        assertThat(api.json(every).get("field").asString()).isEqualTo("evaluateEvery");
        assertThat(api.post("/jobs/no-such-job/evaluations", "{}").statusCode()).isEqualTo(404);
        assertThat(api.get("/jobs/no-such-job/evaluations").statusCode()).isEqualTo(404);
    }

    @Test
    void anImageJobGetsImageScoresAndNearestNeighbours() throws IOException {
        HttpApi api = new HttpApi(port);
        JsonNode job = train(api, "{\"dataset\":\"shapes\",\"imageSize\":28,\"featureMaps\":16,\"latentDim\":16,"
                + "\"steps\":100,\"evaluationSamples\":500}");
        String id = job.get("id").asString();
        JsonNode scores = job.get("quality").get("latest").get("scores");
        for (String name : new String[] {"frechetDistance", "frechetFloor", "inceptionScore", "precision", "recall",
            "classifierAccuracy", "parzenLogLikelihood", "parzenStandardError", "parzenSigma"}) {
            assertThat(scores.has(name)).as(name + " in " + scores).isTrue();
        }
        assertThat(scores.has("modesCovered")).isFalse();

        BufferedImage one = ImageIO.read(new ByteArrayInputStream(api.getBytes("/samples?job=" + id + "&n=1").body()));
        BufferedImage two = ImageIO.read(new ByteArrayInputStream(api.getBytes("/samples?job=" + id + "&n=4").body()));
        int padding = 2 * one.getWidth() - two.getWidth(); // width(c) = c·tile + (c + 1)·padding
        int tile = one.getWidth() - 2 * padding;
        HttpResponse<byte[]> nearest = api.getBytes("/samples/nearest?job=" + id + "&n=4&seed=1");
        assertThat(nearest.statusCode()).isEqualTo(200);
        assertThat(nearest.headers().firstValue("X-Columns"))
                .hasValue("sample, nearest by pixels, nearest by features");
        BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(nearest.body()));
        assertThat(sheet.getWidth()).as("sample, nearest by pixels, nearest by features").isEqualTo(3 * tile + 4 * padding);
        assertThat(sheet.getHeight()).as("one row per sample").isEqualTo(4 * tile + 5 * padding);

        String points = train(api, "{" + SMALL_RING + ",\"steps\":10}").get("id").asString();
        HttpResponse<String> refused = api.get("/samples/nearest?job=" + points);
        assertThat(refused.statusCode()).isEqualTo(400);
    }

    private static JsonNode awaitEvaluation(HttpApi api, String jobId, String evaluationId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : api.json(api.get("/jobs/" + jobId + "/evaluations"))) {
                if (e.get("id").asString().equals(evaluationId) && !e.get("status").asString().equals("RUNNING")) {
                    return e;
                }
            }
            HttpApi.sleep(200);
        }
        throw new AssertionError("evaluation " + evaluationId + " did not finish in time");
    }
}
