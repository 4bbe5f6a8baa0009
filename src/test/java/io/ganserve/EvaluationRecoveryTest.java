package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceProcess;
import io.ganserve.support.ShapeImages;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Requested evaluations on the real process: a bounded queue (429 with Retry-After beyond it), and
 * no evaluation left RUNNING forever by a {@code kill -9} during its scoring.
 */
class EvaluationRecoveryTest {

    private static final int QUEUE_CAPACITY = 1;
    /**
     * The most a request may ask for, of images whose first evaluation also trains the dataset's
     * feature network: seconds of scoring, which the requests below overlap.
     */
    private static final String LARGE = "{\"samples\":50000,\"seed\":1}";

    @TempDir
    Path data;

    @TempDir
    Path logs;

    @Test
    void theQueueIsBoundedAndAKillDuringScoringLeavesNoEvaluationRunning() throws Exception {
        try (ServiceProcess service = new ServiceProcess(data, logs,
                List.of("--ganserve.evaluation.queue-capacity=" + QUEUE_CAPACITY))) {
            ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes"), 28, 200, 3);
            service.start("first");
            HttpApi api = service.api();
            // an MLP on images: scored like any image model, and what is tested here is the evaluation queue
            String jobId = api.trainToSuccess("{\"dataset\":\"shapes\",\"imageSize\":28,\"architecture\":\"mlp\","
                    + "\"hiddenUnits\":64,\"hiddenLayers\":2,\"latentDim\":16,\"steps\":20,\"seed\":5,"
                    + "\"evaluateAtEnd\":false}", Duration.ofMinutes(3)).get("id").asString();
            String evaluations = "/jobs/" + jobId + "/evaluations";

            List<String> accepted = new ArrayList<>();
            List<HttpResponse<String>> refused = new ArrayList<>();
            for (int i = 0; i < QUEUE_CAPACITY + 3; i++) {
                HttpResponse<String> r = api.post(evaluations, LARGE);
                if (r.statusCode() == 202) {
                    accepted.add(api.json(r).get("id").asString());
                } else {
                    refused.add(r);
                }
            }
            assertThat(accepted).as("the one scored and the ones that may wait").hasSize(QUEUE_CAPACITY + 1);
            assertThat(refused).hasSize(2).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(api.json(r).get("detail").asString()).contains("evaluation queue full");
            });
            JsonNode listed = api.json(api.get(evaluations));
            assertThat(listed).extracting(e -> e.get("id").asString()).containsExactlyElementsOf(accepted);

            List<String> runningAtKill = new ArrayList<>();
            for (JsonNode e : api.json(api.get(evaluations))) {
                if (e.get("status").asString().equals("RUNNING")) {
                    runningAtKill.add(e.get("id").asString());
                }
            }
            service.kill(); // mid-scoring: the first is being scored, the second waits
            assertThat(runningAtKill).as("at least the one waiting was RUNNING on disk").isNotEmpty();
            service.start("after-kill");
            JsonNode afterRestart = api.json(api.get(evaluations));
            long recovery = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (afterRestart.toString().contains("\"RUNNING\"") && System.nanoTime() < recovery) {
                HttpApi.sleep(200); // the records are mended once the service is ready, just after it answers
                afterRestart = api.json(api.get(evaluations));
            }
            assertThat(afterRestart).hasSize(accepted.size());
            for (JsonNode e : afterRestart) {
                assertThat(e.get("status").asString()).as(e.toString()).isNotEqualTo("RUNNING");
                if (runningAtKill.contains(e.get("id").asString())) {
                    assertThat(e.get("status").asString()).isEqualTo("FAILED");
                    assertThat(e.get("error").asString()).startsWith("interrupted by a restart");
                    assertThat(e.get("finishedAt").isNull()).isFalse();
                }
            }

            HttpResponse<String> again = api.post(evaluations, "{\"samples\":100,\"seed\":1}");
            assertThat(again.statusCode()).as("the queue is empty again after the restart").isEqualTo(202);
            String againId = api.json(again).get("id").asString();
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            String status = "RUNNING";
            while (status.equals("RUNNING") && System.nanoTime() < deadline) {
                HttpApi.sleep(250);
                for (JsonNode e : api.json(api.get(evaluations))) {
                    if (e.get("id").asString().equals(againId)) {
                        status = e.get("status").asString();
                    }
                }
            }
            assertThat(status).isEqualTo("SUCCEEDED");
        }
    }
}
