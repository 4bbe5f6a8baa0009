package io.ganserve;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceProcess;
import io.ganserve.support.ShapeImages;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The memory budget holds against the process's real resident size: the service runs as its own
 * process with a memory limit far below what its clients ask for, and the kernel's count
 * (/proc/PID/status) is what is measured.
 */
class MemoryBudgetTest {

    private static final long LIMIT = 3L << 30;
    private static final String DCGAN_64 = "{\"dataset\":\"shapes64\",\"architecture\":\"dcgan\",\"imageSize\":64,"
            + "\"steps\":2,\"batchSize\":8,\"evaluateAtEnd\":false,\"seed\":1}";

    @TempDir
    Path data;

    private ServiceProcess service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.close();
        }
    }

    private void start(String... arguments) throws Exception {
        ShapeImages.writeFolder(data.resolve("datasets").resolve("shapes64"), 64, 64, 1);
        service = ServiceProcess.start(data, "budget", List.of("-Xmx768m"), List.of(arguments));
    }

    /**
     * Eight clients cycle through the largest requests the API allows, on a 64 x 64 DCGAN: unbudgeted,
     * one n=1024 request peaked near 3.6 GB and eight killed a 24 GB machine. Under a 3 GB limit
     * they get 200, 429 or 503, never a 5xx, and the process stays under the limit.
     */
    @Test
    void parallelLargeSamplingStaysWithinTheMemoryLimit() throws Exception {
        start("--ganserve.resources.memory-limit=3GB", "--ganserve.api.rate-limit.requests-per-second=0");
        HttpApi api = service.api();
        api.trainToSuccess(DCGAN_64, Duration.ofMinutes(3));
        long trained = service.residentBytes();

        List<String> paths = List.of("/samples?n=1024&format=png", "/samples?n=1024&format=json",
                "/samples?n=1024&format=zip", "/interpolations?rows=16&steps=64",
                "/interpolations?rows=16&steps=64&format=json");
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicLong peak = new AtomicLong();
        long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        // a loaded machine serves fewer in 40 s: the load goes on until five were served, for 2 minutes at most
        long atMost = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(9);
        clients.submit(() -> {
            while (loadGoesOn(statuses, until, atMost)) {
                peak.accumulateAndGet(service.residentBytes(), Math::max);
                HttpApi.sleep(50);
            }
        });
        for (int c = 0; c < 8; c++) {
            int first = c;
            clients.submit(() -> {
                HttpApi client = api.anonymous();
                for (int i = first; loadGoesOn(statuses, until, atMost); i++) {
                    HttpResponse<byte[]> r = client.getBytes(paths.get(i % paths.size()));
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 503 && !(r.headers().firstValue("Retry-After").isPresent()
                            && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"))) {
                        statuses.computeIfAbsent(-503, k -> new AtomicInteger()).incrementAndGet(); // a bare 503
                    }
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(3, TimeUnit.MINUTES)).isTrue();

        long highWater = service.peakResidentBytes();
        System.out.printf("memory limit %d MiB: RSS after training %d MiB, peak RSS sampled %d MiB, VmHWM %d MiB;"
                + " answers %s%n", LIMIT >> 20, trained >> 20, peak.get() >> 20, highWater >> 20, statuses);
        assertThat(statuses.keySet()).as("answers").isSubsetOf(200, 429, 503);
        assertThat(statuses.get(200)).as("some requests were served").isNotNull();
        assertThat(statuses.get(200).get()).isGreaterThanOrEqualTo(5);
        assertThat(highWater).as("peak resident size, whole process").isLessThanOrEqualTo(LIMIT);
        assertThat(service.isAlive()).isTrue();
    }

    private static boolean loadGoesOn(Map<Integer, AtomicInteger> statuses, long until, long atMost) {
        long now = System.nanoTime();
        AtomicInteger served = statuses.get(200);
        return now < until || (now < atMost && (served == null || served.get() < 5));
    }

    /** A job priced above the whole budget is refused at submission, naming its estimate and the budget. */
    @Test
    void aJobThatCouldNeverFitIsRefusedAtSubmission() throws Exception {
        start("--ganserve.resources.memory-limit=3GB");
        HttpApi api = service.api();
        HttpResponse<String> refused = api.post("/jobs", "{\"dataset\":\"shapes64\",\"architecture\":\"dcgan\","
                + "\"imageSize\":64,\"featureMaps\":256,\"batchSize\":1024,\"latentDim\":512}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = api.json(refused);
        long budget = problem.get("budgetBytes").asLong();
        assertThat(problem.get("estimateBytes").asLong()).isGreaterThan(budget);
        assertThat(budget).isLessThan(LIMIT);
        assertThat(problem.get("detail").asString()).contains("budget");

        HttpResponse<String> mlp = api.post("/jobs", "{\"dataset\":\"ring8\",\"hiddenUnits\":4096,\"hiddenLayers\":8,"
                + "\"batchSize\":1024}");
        assertThat(mlp.statusCode()).as(mlp.body()).isEqualTo(422);

        HttpResponse<String> small = api.post("/jobs", DCGAN_64);
        assertThat(small.statusCode()).as(small.body()).isEqualTo(202);
        assertThat(api.awaitFinished(api.json(small).get("id").asString(), Duration.ofMinutes(3))
                .get("status").asString()).isEqualTo("SUCCEEDED");
    }

    /**
     * The largest DCGAN-64 batch the budget admits trains its steps and the process stays under the
     * limit: the price is an upper bound on what training really holds.
     */
    @Test
    void theLargestJobTheBudgetAdmitsTrainsWithinTheLimit() throws Exception {
        start("--ganserve.resources.memory-limit=3GB");
        HttpApi api = service.api();
        long before = service.residentBytes();
        String accepted = null;
        int batch = 1024;
        for (; batch >= 8 && accepted == null; batch /= 2) {
            HttpResponse<String> r = api.post("/jobs", DCGAN_64.replace("\"batchSize\":8", "\"batchSize\":" + batch)
                    .replace("\"steps\":2", "\"steps\":3"));
            assertThat(r.statusCode()).as(r.body()).isIn(202, 422);
            if (r.statusCode() == 202) {
                accepted = api.json(r).get("id").asString();
            }
        }
        assertThat(accepted).as("some batch fits").isNotNull();
        JsonNode done = api.awaitFinished(accepted, Duration.ofMinutes(4));
        long highWater = service.peakResidentBytes();
        System.out.printf("largest admitted DCGAN-64 batch %d: RSS before %d MiB, VmHWM %d MiB, limit %d MiB%n",
                batch * 2, before >> 20, highWater >> 20, LIMIT >> 20);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(highWater).isLessThanOrEqualTo(LIMIT);
    }
}
