package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DataKind;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.support.HttpApi;
import io.ganserve.support.PrometheusScrape;
import io.ganserve.support.ServiceOnTempData;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Retention over real HTTP: the registry holds three older models of 1 MB each, and an older small
 * one already kept, when the service starts with a 2.5 MB quota and keep-models 3, then trains more.
 */
class RetentionTest extends ServiceOnTempData {

    private static final long PADDING = 1 << 20;

    @DynamicPropertySource
    static void retention(DynamicPropertyRegistry registry) throws IOException {
        registry.add("ganserve.retention.keep-models", () -> "3");
        registry.add("ganserve.retention.max-bytes", () -> "2560KB");
        ModelRegistry models = new ModelRegistry(data, 3);
        Instant now = Instant.now();
        // kept before the service starts: the flag is read from the registry, as after a restart
        saveModel(models, "old-0", now.minus(Duration.ofHours(11)));
        models.keep("old-0");
        for (int i = 1; i <= 3; i++) {
            saveModel(models, "old-" + i, now.minus(Duration.ofHours(10 - i)));
            // what a real job's checkpoints and grids would weigh
            Path padding = data.resolve("jobs/old-" + i + "/progress/step-000000001.png");
            Files.createDirectories(padding.getParent());
            Files.write(padding, new byte[(int) PADDING]);
        }
    }

    private static void saveModel(ModelRegistry registry, String jobId, Instant createdAt) {
        NetworkSpec spec = NetworkSpec.mlp(3, List.of(2), 8, 1);
        TrainingConfig config = TrainingConfig.builder("ring8").hidden(8, 1).steps(1).batchSize(8).latentDim(3)
                .learningRates(1e-3f, 1e-3f).seed(1).checkpointEvery(1).device(io.ganserve.registry.DeviceKind.AUTO)
                .variant(io.ganserve.registry.Variant.NONE).build();
        ModelInfo info = new ModelInfo(jobId, "ring8", DataKind.POINTS, config, spec, 1, createdAt);
        try (NDManager m = NDManager.newBaseManager()) {
            registry.saveGenerator(info, GanModelZoo.generator(spec, m)::saveParameters);
        }
    }

    private static boolean onDisk(String jobId) {
        return Files.exists(data.resolve("jobs").resolve(jobId));
    }

    private static void pad(String jobId, long bytes) throws IOException {
        Path padding = data.resolve("jobs/" + jobId + "/progress/padding.png");
        Files.createDirectories(padding.getParent());
        Files.write(padding, new byte[(int) bytes]);
    }

    /** The models GET /models marks kept. */
    private static List<String> keptModels(HttpApi api) {
        List<String> kept = new java.util.ArrayList<>();
        api.json(api.get("/models")).get("models").forEach(m -> {
            if (m.get("kept").asBoolean()) {
                kept.add(m.get("jobId").asString());
            }
        });
        return kept;
    }

    /** Retention runs after the job's end is recorded, on a thread of its own: give it a moment. */
    private static void awaitDeleted(String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (onDisk(jobId)) {
            assertThat(System.nanoTime()).as(jobId + " deleted").isLessThan(deadline);
            HttpApi.sleep(50);
        }
    }

    private static String train(HttpApi api, int seed) {
        return api.trainToSuccess("{\"dataset\":\"ring8\",\"steps\":30,\"hiddenUnits\":16,\"hiddenLayers\":1,"
                + "\"batchSize\":64,\"evaluateAtEnd\":false,\"seed\":" + seed + "}", Duration.ofMinutes(2)).get("id").asString();
    }

    @Test
    void theQuotaAppliesAtStartTheCountAfterEachJobAndThePinnedAndKeptModelsStay() throws IOException {
        HttpApi api = new HttpApi(port);
        awaitDeleted("old-1"); // over the quota at start: the oldest goes, though three models are allowed
        assertThat(onDisk("old-0")).as("kept, though the oldest and beyond the newest three").isTrue();
        assertThat(onDisk("old-2")).isTrue();
        assertThat(onDisk("old-3")).isTrue();
        assertThat(api.json(api.get("/models")).get("latest").asString()).isEqualTo("old-3");
        assertThat(keptModels(api)).containsExactly("old-0");

        String first = train(api, 1);
        String second = train(api, 2); // four models now: the oldest beyond the newest three goes
        awaitDeleted("old-2");
        assertThat(onDisk("old-3")).isTrue();
        assertThat(onDisk(first)).isTrue();

        assertThat(api.request("PUT", "/models/default", "{\"job\":\"old-3\"}").statusCode()).isEqualTo(200);
        String third = train(api, 3);
        String fourth = train(api, 4); // first is now beyond the newest three; old-3, older still, is pinned
        awaitDeleted(first);
        assertThat(onDisk("old-0")).isTrue();
        assertThat(onDisk("old-3")).isTrue();
        assertThat(onDisk(second)).isTrue();
        assertThat(onDisk(third)).isTrue();
        assertThat(onDisk(fourth)).isTrue();
        assertThat(api.json(api.get("/models")).get("latest").asString()).isEqualTo("old-3");

        PrometheusScrape scrape = PrometheusScrape.of(api);
        assertThat(scrape.value("gan_models_deleted_total", "reason=\"quota\"")).isEqualTo(1);
        assertThat(scrape.value("gan_models_deleted_total", "reason=\"retention\"")).isEqualTo(2);
        assertThat(scrape.value("gan_models_deleted_freed_bytes_total")).isGreaterThan(2 * PADDING);

        // two more kept, then each made 1.5 MB: beyond the newest three once the next job ends, and
        // over the quota by themselves
        assertThat(api.request("PUT", "/models/" + second + "/keep", null).statusCode()).isEqualTo(200);
        assertThat(api.request("PUT", "/models/" + third + "/keep", null).statusCode()).isEqualTo(200);
        assertThat(keptModels(api)).containsExactlyInAnyOrder("old-0", second, third);
        HttpResponse<String> refused = api.delete("/models/" + second);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(api.json(refused).get("detail").asString()).contains("kept", "/models/" + second + "/keep");
        assertThat(api.request("PUT", "/models/no-such-job/keep", null).statusCode()).isEqualTo(404);
        pad(second, 3 * PADDING / 2);
        pad(third, 3 * PADDING / 2);
        assertThat(api.delete("/models/default").statusCode()).isEqualTo(200); // old-3 unpinned

        String fifth = train(api, 5);
        // the count: newest three are fifth, fourth, third; beyond them second and old-0 are kept, old-3 goes.
        // the quota: still over it, oldest first: old-0, second and third are kept, fourth goes; fifth is served
        awaitDeleted(fourth);
        assertThat(onDisk("old-3")).isFalse();
        assertThat(onDisk("old-0")).isTrue();
        assertThat(onDisk(second)).isTrue();
        assertThat(onDisk(third)).isTrue();
        assertThat(onDisk(fifth)).isTrue();
        scrape = PrometheusScrape.of(api);
        assertThat(scrape.value("gan_models_deleted_total", "reason=\"quota\"")).isEqualTo(2);
        assertThat(scrape.value("gan_models_deleted_total", "reason=\"retention\"")).isEqualTo(3);

        // no longer kept: deletable again
        HttpResponse<String> unkept = api.delete("/models/" + third + "/keep");
        assertThat(unkept.statusCode()).isEqualTo(200);
        assertThat(keptModels(api)).containsExactlyInAnyOrder("old-0", second);
        assertThat(api.delete("/models/" + third).statusCode()).isEqualTo(200);
        assertThat(onDisk(third)).isFalse();
    }
}
