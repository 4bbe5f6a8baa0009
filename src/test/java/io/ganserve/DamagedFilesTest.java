package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A data directory damaged the ways a crash or a tired operator damages one: the service still
 * starts, names each damaged file, serves what is intact and resumes a run from its newest intact
 * checkpoint.
 */
class DamagedFilesTest {

    private static final String TINY = "\"dataset\":\"ring8\",\"batchSize\":32,\"hiddenUnits\":16,\"hiddenLayers\":1,"
            + "\"latentDim\":2,\"evaluateAtEnd\":false,\"loss\":\"non-saturating\"";

    @TempDir
    Path data;

    private ServiceProcess service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void damagedFilesAreNamedAndSkippedAndARunResumesFromItsNewestIntactCheckpoint() throws Exception {
        service = ServiceProcess.start(data, "first", List.of(), List.of());
        HttpApi api = service.api();
        String described = id(api.trainToSuccess("{" + TINY + ",\"steps\":50,\"seed\":1}", Duration.ofMinutes(2)));
        String latest = id(api.trainToSuccess("{" + TINY + ",\"steps\":50,\"seed\":2}", Duration.ofMinutes(2)));
        HttpResponse<String> long_ = api.post("/jobs", "{" + TINY + ",\"steps\":100000,\"checkpointEvery\":100,\"seed\":3}");
        assertThat(long_.statusCode()).as(long_.body()).isEqualTo(202);
        String running = api.json(long_).get("id").asString();
        await(api, running, j -> j.get("checkpointStep").asLong() >= 300);
        service.kill();

        Path jobs = data.resolve("jobs");
        Files.writeString(jobs.resolve(described).resolve("model.json"), "{}");
        Files.write(jobs.resolve(latest).resolve("generator.bin"), "not a generator".getBytes());
        long[] steps = checkpoints(jobs.resolve(running).resolve("checkpoints"));
        Path newest = jobs.resolve(running).resolve("checkpoints").resolve(String.format("step-%09d.ckpt",
                steps[steps.length - 1]));
        byte[] whole = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(whole, whole.length / 3));
        Path stale = Files.write(jobs.resolve(running).resolve("checkpoints").resolve("step-999999999.ckpt.tmp"),
                new byte[100_000]);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

        service = ServiceProcess.start(data, "second", List.of(), List.of());
        api = service.api();
        assertThat(api.get("/models").statusCode()).isEqualTo(200);

        HttpResponse<String> damaged = api.get("/samples?n=4&format=json&job=" + latest);
        assertThat(damaged.statusCode()).as(damaged.body()).isEqualTo(409);
        assertThat(damaged.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = api.json(damaged);
        assertThat(problem.get("file").asString()).isEqualTo("jobs/" + latest + "/generator.bin");
        assertThat(problem.get("detail").asString()).contains(latest);
        HttpResponse<String> evaluation = api.post("/jobs/" + latest + "/evaluations", "{\"samples\":100}");
        assertThat(evaluation.statusCode()).as(evaluation.body()).isEqualTo(409);

        // its description quarantined, the job still serves its newest checkpoint
        assertThat(api.get("/samples?n=4&format=json&job=" + described).statusCode()).isEqualTo(200);
        assertThat(jobs.resolve(described).resolve("model.json.damaged")).exists();
        // the latest model is damaged and the other's description is gone: nothing finished to serve, said plainly
        assertThat(api.get("/samples?n=4").statusCode()).isEqualTo(404);

        JsonNode resumed = await(api, running, j -> j.get("resumedFromStep").asLong() > 0);
        assertThat(resumed.get("resumedFromStep").asLong()).isEqualTo(steps[steps.length - 2]);
        assertThat(Files.exists(newest.resolveSibling(newest.getFileName() + ".damaged"))).isTrue();
        assertThat(stale).doesNotExist();
        assertThat(service.log()).contains("quarantined damaged file").contains(newest.getFileName().toString());
        api.delete("/jobs/" + running);
    }

    private static String id(JsonNode job) {
        return job.get("id").asString();
    }

    private static long[] checkpoints(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.ckpt"))
                    .mapToLong(n -> Long.parseLong(n.substring(5, n.length() - 5))).sorted().toArray();
        }
    }

    private static JsonNode await(HttpApi api, String jobId, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = api.get("/jobs/" + jobId);
            if (r.statusCode() == 200) {
                last = api.json(r);
                if (condition.test(last)) {
                    return last;
                }
            }
            HttpApi.sleep(200);
        }
        throw new AssertionError("condition not reached; last record: " + last);
    }
}
