package io.ganserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.engine.precision.Precision;
import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Serving's settings through a real server: {@code ganserve.sampling.precision} reaches the
 * loaded generator, and beyond {@code ganserve.sampling.batch-queue} requests waiting for one
 * model's passes the next is answered 503 problem+json with Retry-After.
 */
class ServingOverHttpTest extends ServiceOnTempData {

    @DynamicPropertySource
    static void serving(DynamicPropertyRegistry registry) {
        registry.add("ganserve.sampling.precision", () -> "bfloat16");
        registry.add("ganserve.sampling.batch-queue", () -> "1"); // a second request while one runs is refused
        registry.add("ganserve.api.rate-limit.requests-per-second", () -> "0");
    }

    @Autowired
    ServingModels models;

    @Test
    void theSettingsPrecisionServesAndAFullInferenceQueueAnswers503() throws Exception {
        HttpApi api = new HttpApi(port);
        String job = api.trainToSuccess("{\"dataset\":\"ring8\",\"steps\":30,\"hiddenUnits\":16,\"hiddenLayers\":1,"
                + "\"batchSize\":64,\"evaluateAtEnd\":false,\"seed\":3}", Duration.ofMinutes(2)).get("id").asString();
        try (ServingModels.Lease lease = models.lease(job)) {
            assertThat(lease.snapshot().precision()).as("bfloat16 asked for explicitly: even an MLP runs in it")
                    .isEqualTo(Precision.BFLOAT16);
        }
        assertThat(api.get("/samples?n=4&format=json&seed=1&job=" + job).statusCode()).isEqualTo(200);

        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicReference<HttpResponse<String>> full = new AtomicReference<>();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int i = 0; full.get() == null && System.nanoTime() < until; i++) {
                        HttpResponse<String> r = api.get("/samples?n=1024&format=json&seed=" + (client * 1000 + i)
                                + "&job=" + job);
                        statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() == 503 && r.body().contains("Inference queue full")) {
                            full.compareAndSet(null, r);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.println("statuses: " + statuses);
        HttpResponse<String> refused = full.get();
        assertThat(refused).as("12 clients against a queue of 1 were refused at least once").isNotNull();
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(api.json(refused).get("detail").asString()).contains("ganserve.sampling.batch-queue").contains(job);
        assertThat(statuses.keySet()).as("nothing but answers and 503s").isSubsetOf(200, 503);
    }
}
