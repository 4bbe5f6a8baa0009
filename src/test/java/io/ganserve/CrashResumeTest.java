package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real process, killed: {@code kill -9} mid-training, then SIGTERM, each followed by a fresh
 * start on the same data directory (and so the same embedded database). The job must end at its total
 * step count having resumed from its checkpoints, and say so.
 */
class CrashResumeTest {

    private static final int STEPS = 3_000;

    @TempDir
    Path data;

    private Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void aKilledServiceResumesItsJobFromTheLastCheckpointAndAStoppedOneCheckpointsFirst() throws Exception {
        int port = freePort();
        HttpApi api = new HttpApi(port);
        process = launch(port, "first");
        awaitUp(api);
        var created = api.post("/jobs", "{\"dataset\":\"ring8\",\"steps\":" + STEPS
                + ",\"checkpointEvery\":250,\"evaluateAtEnd\":false,\"seed\":3,"
                + "\"batchSize\":64,\"hiddenUnits\":32,\"hiddenLayers\":2,\"latentDim\":4}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String jobId = api.json(created).get("id").asString();
        JsonNode beforeKill = await(api, jobId, j -> j.get("checkpointStep").asLong() >= 500);
        assertThat(beforeKill.get("status").asString()).isEqualTo("RUNNING");

        process.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long[] onDisk = checkpointsOnDisk(jobId);
        assertThat(onDisk).isNotEmpty();
        long lastBeforeKill = onDisk[onDisk.length - 1];

        process = launch(port, "second");
        JsonNode resumed = await(api, jobId, j -> j.get("status").asString().equals("RUNNING")
                && j.get("resumedFromStep").asLong() > 0);
        assertThat(resumed.get("resumedFromStep").asLong()).isEqualTo(lastBeforeKill);
        JsonNode progressed = await(api, jobId, j -> j.get("progress").get("step").asLong() > lastBeforeKill + 100);

        process.destroy(); // SIGTERM: the graceful shutdown checkpoints where training stopped
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        long[] afterTerm = checkpointsOnDisk(jobId);
        long stoppedAt = afterTerm[afterTerm.length - 1];
        assertThat(stoppedAt).isGreaterThanOrEqualTo(progressed.get("progress").get("step").asLong()).isLessThan(STEPS);
        JsonNode stored = storedRecord(jobId);
        assertThat(stored.get("status").asString()).as("a graceful stop re-queues").isEqualTo("QUEUED");
        JsonNode storedProgress = stored.get("progress");
        assertThat(storedProgress.get("checkpointStep").asLong()).as("checkpointed where it stopped")
                .isEqualTo(storedProgress.get("step").asLong()).isEqualTo(stoppedAt);

        process = launch(port, "third");
        JsonNode done = await(api, jobId, j -> j.get("status").asString().equals("SUCCEEDED"));
        assertThat(done.get("progress").get("step").asLong()).isEqualTo(STEPS);
        assertThat(done.get("resumedFromStep").asLong()).isEqualTo(stoppedAt);
        assertThat(api.getBytes("/samples?n=16").statusCode()).isEqualTo(200);
    }

    private void awaitUp(HttpApi api) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the service exited").isTrue();
            try {
                if (api.get("/actuator/health").statusCode() == 200) {
                    return;
                }
            } catch (AssertionError notUpYet) {
                // connection refused while the service starts
            }
            HttpApi.sleep(250);
        }
        throw new AssertionError("the service did not start within 2 minutes");
    }

    /** The job's row, read from the embedded database the stopped service left behind. */
    private JsonNode storedRecord(String jobId) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + data + "/db/ganserve", "sa", "");
             var q = c.prepareStatement("SELECT record FROM jobs WHERE id = ?")) {
            q.setString(1, jobId);
            try (var rows = q.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return tools.jackson.databind.json.JsonMapper.builder().build().readTree(rows.getString(1));
            }
        }
    }

    private long[] checkpointsOnDisk(String jobId) throws IOException {
        try (var files = Files.list(data.resolve("jobs").resolve(jobId).resolve("checkpoints"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("step-\\d+\\.ckpt"))
                    .mapToLong(n -> Long.parseLong(n.substring(5, n.length() - 5)))
                    .sorted().toArray();
        }
    }

    /** This test's own class path and JVM, with the service's main class: what {@code java -jar} runs. */
    private Process launch(int port, String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                GanServeApplication.class.getName(), "--server.port=" + port,
                "--ganserve.training.data-dir=" + data, "--ganserve.training.worker-id=crash-test"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(data.resolveSibling(data.getFileName() + "-" + name + ".log").toFile())
                .start();
    }

    private JsonNode await(HttpApi api, String jobId, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the service exited").isTrue();
            try {
                java.net.http.HttpResponse<String> r = api.get("/jobs/" + jobId);
                if (r.statusCode() == 200) {
                    last = api.json(r);
                    if (condition.test(last)) {
                        return last;
                    }
                }
            } catch (AssertionError notUpYet) {
                // connection refused while the service starts
            }
            HttpApi.sleep(250);
        }
        throw new AssertionError("condition not reached; last record: " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
