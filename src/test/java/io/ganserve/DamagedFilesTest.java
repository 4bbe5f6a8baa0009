package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
        String missing = id(api.trainToSuccess("{" + TINY + ",\"steps\":50,\"seed\":4}", Duration.ofMinutes(2)));
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
        Files.delete(jobs.resolve(missing).resolve("generator.bin"));
        long[] steps = checkpoints(jobs.resolve(running).resolve("checkpoints"));
        Path newest = jobs.resolve(running).resolve("checkpoints").resolve(String.format("step-%09d.ckpt",
                steps[steps.length - 1]));
        byte[] whole = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(whole, whole.length / 3));
        // as a kill during a checkpoint leaves it, seconds ago: too young for the start-up sweep (which spares
        // files written within the lease duration), so the worker that claims the job removes it
        Path stale = Files.write(jobs.resolve(running).resolve("checkpoints").resolve("step-999999999.ckpt.tmp"),
                new byte[100_000]);

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
        assertDamaged(api, evaluation, latest, "generator.bin");
        HttpResponse<String> interpolation = api.get("/interpolations?steps=4&format=json&job=" + latest);
        assertThat(interpolation.statusCode()).as(interpolation.body()).isEqualTo(409);
        assertDamaged(api, interpolation, latest, "generator.bin");

        // its description says it finished; the weights it names are gone, which is not "no checkpoint yet"
        HttpResponse<String> gone = api.get("/samples?n=4&format=json&job=" + missing);
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(409);
        assertDamaged(api, gone, missing, "generator.bin");
        assertThat(api.json(gone).get("detail").asString()).contains("missing").doesNotContain("no checkpoint");

        // its description quarantined, the job still serves its newest checkpoint
        assertThat(api.get("/samples?n=4&format=json&job=" + described).statusCode()).isEqualTo(200);
        assertThat(jobs.resolve(described).resolve("model.json.damaged")).exists();
        assertThat(api.json(api.get("/jobs/" + described)).get("damagedFiles")).singleElement().satisfies(d -> {
            assertThat(d.get("file").asString()).isEqualTo("jobs/" + described + "/model.json");
            assertThat(d.get("quarantinedAs").asString()).isEqualTo("jobs/" + described + "/model.json.damaged");
            assertThat(d.get("reason").asString()).contains("missing");
        });
        assertThat(api.json(api.get("/jobs/" + latest)).get("damagedFiles")).as("answered 409, not moved aside")
                .isEmpty();
        // the latest model is damaged and the other's description is gone: nothing finished to serve, said plainly
        assertThat(api.get("/samples?n=4").statusCode()).isEqualTo(404);

        JsonNode resumed = await(api, running, j -> j.get("resumedFromStep").asLong() > 0);
        assertThat(resumed.get("resumedFromStep").asLong()).isEqualTo(steps[steps.length - 2]);
        assertThat(Files.exists(newest.resolveSibling(newest.getFileName() + ".damaged"))).isTrue();
        assertThat(resumed.get("damagedFiles")).singleElement().satisfies(d -> {
            assertThat(d.get("file").asString()).isEqualTo("jobs/" + running + "/checkpoints/" + newest.getFileName());
            assertThat(d.get("reason").asString()).contains("cut short");
        });
        assertThat(stale).doesNotExist();
        assertThat(service.log()).contains("quarantined damaged file").contains(newest.getFileName().toString());
        api.delete("/jobs/" + running);
    }

    /** A 409 problem naming the job and the file (relative to the data directory). */
    private static void assertDamaged(HttpApi api, HttpResponse<String> r, String job, String file) {
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = api.json(r);
        assertThat(problem.get("job").asString()).isEqualTo(job);
        assertThat(problem.get("file").asString()).isEqualTo("jobs/" + job + "/" + file);
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
