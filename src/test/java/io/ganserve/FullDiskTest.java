package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganserve.support.HttpApi;
import io.ganserve.support.HttpApi.FilePart;
import io.ganserve.support.ServiceProcess;
import io.ganserve.support.UploadFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real process with its data directory on a small filesystem (tmpfs with a size limit, mounted
 * by the test; skipped where mounting is not allowed) that the test fills up and frees again: once
 * while nothing trains (the job store intact, the disk alone refuses), once under a training job
 * (which fails, and whose final state the store cannot take until the disk has room).
 */
class FullDiskTest {

    private static final String JOB = "{\"dataset\":\"ring8\",\"steps\":1000000,\"checkpointEvery\":20,"
            + "\"evaluateAtEnd\":false,\"seed\":3,\"batchSize\":64,\"hiddenUnits\":32,\"hiddenLayers\":2,\"latentDim\":4}";
    private static final String TINY = "{\"dataset\":\"ring8\",\"steps\":50,\"evaluateAtEnd\":false,\"seed\":1,"
            + "\"batchSize\":32,\"hiddenUnits\":16,\"hiddenLayers\":1,\"latentDim\":2}";
    /** JobWorkers' first line of a streak of failed claims; the rest of the streak is quiet. */
    private static final String CANNOT_CLAIM = "cannot claim a job:";
    private static final Pattern CLAIMS_AGAIN = Pattern.compile("the job store answers again after (\\d+) failed claim");

    @TempDir
    Path logs;

    private Path mount;
    private boolean mounted;
    private ServiceProcess service;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        mount = Files.createTempDirectory("ganserve-full-disk");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a small tmpfs here (root and mount rights needed): " + out.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (service != null) {
            service.close();
        }
        if (mounted) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(mount);
    }

    @Test
    void aFullDiskFailsTheJobSaysSoAndTheServiceRecoversOnceSpaceIsFreed() throws Exception {
        Path data = mount.resolve("data");
        // few progress grids: their disk price (101 worst-case PNGs by default) would not fit this 48 MB filesystem
        service = new ServiceProcess(data, logs, List.of("--ganserve.resources.min-free-disk=1MB",
                "--ganserve.training.progress.max-grids=4"));
        service.start("first");
        HttpApi api = service.api();
        List<String> acknowledged = new ArrayList<>();
        String finished = api.trainToSuccess(TINY, Duration.ofMinutes(2)).get("id").asString();
        acknowledged.add(finished);

        // full while nothing trains: the job store itself is intact, so what answers is the disk
        Path filler = mount.resolve("filler");
        fill(filler);
        HttpResponse<String> evaluation = api.post("/jobs/" + finished + "/evaluations", "{\"samples\":100}");
        assertThat(evaluation.statusCode()).as(evaluation.body()).isEqualTo(507);
        assertProblem(evaluation);
        assertThat(api.json(evaluation).get("detail").asString()).contains("no space left on device");
        HttpResponse<String> priced = api.post("/jobs", JOB);
        assertThat(priced.statusCode()).as(priced.body()).isEqualTo(507);
        assertProblem(priced);
        Files.delete(filler);

        String jobId = submit(api, acknowledged);
        service.awaitJob(jobId, j -> j.get("progress").get("step").asLong() > 0, Duration.ofMinutes(2));

        fill(filler);

        JsonNode failed = service.awaitJob(jobId, j -> j.get("status").asString().equals("FAILED"),
                Duration.ofMinutes(2));
        long failedAt = System.nanoTime(); // the claim loop's streak starts here: it cannot write the FAILED state
        assertThat(failed.get("error").asString()).contains("no space left on device");

        HttpResponse<String> refused = api.post("/jobs", JOB);
        assertThat(refused.statusCode()).as(refused.body()).isIn(503, 507);
        assertProblem(refused);
        HttpResponse<String> listing = api.get("/jobs");
        assertThat(listing.statusCode()).as(listing.body()).isIn(200, 503);
        awaitHealth(api, "DOWN");

        Map<String, Object> upload = new LinkedHashMap<>();
        upload.put("name", "bars");
        upload.put("file", new FilePart("train-images-idx3-ubyte", UploadFiles.idxImages(2000, 28)));
        HttpResponse<String> uploaded = api.postMultipart("/datasets", upload);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(507);
        assertProblem(uploaded);

        // the claim loop cannot write the failed job's final state; it says so once, then backs off
        await(service::log, l -> l.contains(CANNOT_CLAIM));
        HttpApi.sleep(8_000); // at a fixed 1 s poll interval, 8 more failures and as many lines
        Files.delete(filler);
        double fullSeconds = (System.nanoTime() - failedAt) / 1e9;
        awaitHealth(api, "UP");
        HttpResponse<String> accepted = await(() -> api.post("/jobs", JOB), r -> r.statusCode() == 202);
        acknowledged.add(api.json(accepted).get("id").asString());
        HttpResponse<String> listed = await(() -> api.get("/jobs"), r -> r.statusCode() == 200);
        assertThat(api.json(listed)).extracting(j -> j.get("id").asString()).containsAll(acknowledged);
        String log = await(service::log, l -> CLAIMS_AGAIN.matcher(l).find());
        Matcher streak = CLAIMS_AGAIN.matcher(log);
        assertThat(streak.find()).isTrue();
        // backing off from 1 s, doubling: failures at 0, 1, 3, 7, 15 s..., so 1 + log2(t + 1) of them in t seconds
        // (4 in the 8-odd seconds here); polling every second would have failed about 9 times
        int atMost = 1 + (int) Math.ceil(Math.log(fullSeconds + 1) / Math.log(2));
        assertThat(Integer.parseInt(streak.group(1))).as("failed claims in %.1f s of full disk", fullSeconds)
                .isBetween(3, atMost);
        assertThat(log.lines().filter(line -> line.contains(CANNOT_CLAIM)).count())
                .as("lines about the failing claims: one for the streak (one training thread)").isEqualTo(1);

        service.stop();
        service.start("after-restart");
        HttpResponse<String> afterRestart = api.get("/jobs");
        assertThat(afterRestart.statusCode()).isEqualTo(200);
        assertThat(api.json(afterRestart)).extracting(j -> j.get("id").asString()).containsAll(acknowledged);
        JsonNode stillFailed = api.json(api.get("/jobs/" + jobId));
        assertThat(stillFailed.get("status").asString()).as("its final state reached the store once it had room")
                .isEqualTo("FAILED");
        assertThat(stillFailed.get("error").asString()).contains("no space left on device");
    }

    private static String submit(HttpApi api, List<String> acknowledged) {
        HttpResponse<String> created = api.post("/jobs", JOB);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = api.json(created).get("id").asString();
        acknowledged.add(id);
        return id;
    }

    /** Writes until the filesystem refuses: what a neighbour filling the volume does. */
    private static void fill(Path filler) {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("no space left");
        }
    }

    private static void assertProblem(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
    }

    private void awaitHealth(HttpApi api, String status) {
        HttpApi anonymous = api.anonymous();
        await(() -> anonymous.get("/actuator/health"), r -> status.equals(api.json(r).get("status").asString()));
    }

    private <T> T await(java.util.function.Supplier<T> call, Predicate<T> condition) {
        // the claim loop's backoff reaches 30 s: its first claim after the disk is freed may come that late
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            service.assertAlive();
            last = call.get();
            if (condition.test(last)) {
                return last;
            }
            HttpApi.sleep(250);
        }
        throw new AssertionError("condition not reached; last: " + last);
    }
}
