package io.ganserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DataKind;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.sampling.latent.LatentPath;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingModelsTest {

    @TempDir
    Path root;

    NDManager engine;
    ModelRegistry registry;
    ServingModels models;
    SampleService samples;

    @BeforeEach
    void setUp() {
        Engine.getInstance();
        engine = NDManager.newBaseManager();
        registry = new ModelRegistry(root, 2);
        models = new ServingModels(registry, engine, 2);
        samples = new SampleService(models);
    }

    @AfterEach
    void tearDown() {
        models.close();
        engine.close();
    }

    /**
     * A generator pass reserves its memory in the request lane on its inference thread; where the
     * lane cannot hold 64 samples a pass per thread, passes run in smaller chunks and draw the same
     * samples.
     */
    @Test
    void underASmallRequestLaneAPassRunsInSmallerChunksAndDrawsTheSameSamples() {
        ModelInfo info = saveModel("small-lane", 4);
        long weights = (long) Float.BYTES * io.ganserve.gan.NetworkCost.of(info.network()).generatorParameters();
        long lane = weights + InferenceThreads.THREADS * SamplingCost.nativeBytes(info.network(), 40, 40);
        io.ganserve.engine.ResourceBudgets tight = io.ganserve.engine.ResourceBudgets.of(lane, 1L << 30,
                java.time.Duration.ofSeconds(5));
        try (ServingModels budgeted = new ServingModels(registry, engine, 2, SamplingEvents.NONE, tight)) {
            SampleService small = new SampleService(budgeted, SamplingEvents.NONE, tight, 1);
            try (ServingModels.Lease lease = budgeted.lease("small-lane")) {
                assertThat(lease.snapshot().chunk()).isBetween(30, 40); // 40 less the budget's KiB rounding
            }
            Samples chunked = small.sample("small-lane", 101, 11);
            assertThat(chunked.data()).containsExactly(samples.sample("small-lane", 101, 11).data(),
                    org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(tight.requestMemory().reservedBytes()).as("the passes gave theirs back; the cached weights stay")
                    .isBetween(weights, weights + 1024);
        }
        assertThat(tight.requestMemory().reservedBytes()).isZero();
    }

    private ModelInfo saveModel(String jobId, int latent) {
        return saveModel(jobId, latent, 0);
    }

    private ModelInfo saveModel(String jobId, int latent, int classes) {
        return saveModel(jobId, latent, classes, Instant.now());
    }

    /** With its own {@code createdAt}, for tests where which model is newer matters. */
    private ModelInfo saveModel(String jobId, int latent, Instant createdAt) {
        return saveModel(jobId, latent, 0, createdAt);
    }

    private ModelInfo saveModel(String jobId, int latent, int classes, Instant createdAt) {
        NetworkSpec spec = NetworkSpec.mlp(latent, List.of(2), 8, 1).withClasses(classes);
        TrainingConfig config = TrainingConfig.builder("ring8").hidden(8, 1).steps(1).batchSize(8).latentDim(latent)
                .learningRates(1e-3f, 1e-3f).seed(1).checkpointEvery(1).device(io.ganserve.registry.DeviceKind.AUTO)
                .variant(io.ganserve.registry.Variant.NONE).build();
        ModelInfo info = new ModelInfo(jobId, "ring8", DataKind.POINTS, config, spec, 1, createdAt);
        try (NDManager m = NDManager.newBaseManager()) {
            registry.saveGenerator(info, GanModelZoo.generator(spec, m)::saveParameters);
        }
        return info;
    }

    @Test
    void aServerPicksUpAGeneratorAnotherInstanceFinishedInTheSharedRegistry() {
        models.refreshFromRegistry();
        assertThat(models.latestModel()).isEmpty();

        Instant now = Instant.now();
        // written by a trainer: no modelReady reaches this instance
        saveModel("trained-elsewhere", 3, now.minusSeconds(1));
        models.refreshFromRegistry();
        assertThat(models.latestModel()).map(ModelInfo::jobId).contains("trained-elsewhere");

        models.modelReady(saveModel("trained-here", 3, now)); // the newer one
        models.refreshFromRegistry(); // nothing newer on disk: the served model stays
        assertThat(samples.sample(null, 1, 1).model().jobId()).isEqualTo("trained-here");
    }

    @Test
    void aDamagedNewestModelIsPassedOverAtStartAndADeletedOneIsSaidToBeMissing() throws Exception {
        Instant now = Instant.now();
        saveModel("intact", 3, now.minusSeconds(1));
        saveModel("damaged", 3, now); // the newer one
        java.nio.file.Files.write(root.resolve("jobs/damaged/generator.bin"), new byte[] {1, 2, 3});
        models.refreshFromRegistry();
        assertThat(models.latestModel()).map(ModelInfo::jobId).contains("intact");
        assertThatThrownBy(() -> samples.sample("damaged", 1, 1))
                .isInstanceOfSatisfying(io.ganserve.registry.DamagedFileException.class,
                        e -> assertThat(e.file()).isEqualTo("jobs/damaged/generator.bin"));

        java.nio.file.Files.delete(root.resolve("jobs/damaged/generator.bin"));
        assertThatThrownBy(() -> samples.sample("damaged", 1, 1))
                .isInstanceOf(io.ganserve.registry.DamagedFileException.class).hasMessageContaining("missing");
    }

    @Test
    void aRunningJobWithACutNewestCheckpointServesTheOneBefore() throws Exception {
        NetworkSpec spec = NetworkSpec.mlp(3, List.of(2), 8, 1);
        ModelInfo run = saveModel("running", 3);
        java.nio.file.Files.delete(root.resolve("jobs/running/model.json")); // still training: no final model
        registry.saveRunInfo(run);
        try (NDManager m = NDManager.newBaseManager()) {
            var g = GanModelZoo.generator(spec, m);
            registry.saveCheckpoint("running", 100, g::saveParameters);
            registry.saveCheckpoint("running", 200, g::saveParameters);
        }
        java.nio.file.Path newest = root.resolve("jobs/running/checkpoints/step-000000200.ckpt");
        byte[] whole = java.nio.file.Files.readAllBytes(newest);
        java.nio.file.Files.write(newest, java.util.Arrays.copyOf(whole, whole.length - 10));
        assertThat(samples.sample("running", 2, 1).step()).isEqualTo(100);
        assertThat(root.resolve("jobs/running/checkpoints/step-000000200.ckpt.damaged")).exists();
    }

    @Test
    void noModelYetSaysHowToGetOne() {
        assertThatThrownBy(() -> samples.sample(null, 4, 1)).isInstanceOf(NoModelException.class)
                .hasMessageContaining("POST /jobs");
    }

    @Test
    void samplesAreReproducibleBySeedAndComeFromTheLatestModel() {
        models.modelReady(saveModel("job-a", 3));
        Samples first = samples.sample(null, 5, 42);
        assertThat(first.model().jobId()).isEqualTo("job-a");
        assertThat(first.data()).hasSize(10).containsExactly(samples.sample(null, 5, 42).data(), org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(samples.sample(null, 5, 43).data()).isNotEqualTo(first.data());

        models.modelReady(saveModel("job-b", 3));
        assertThat(samples.sample(null, 1, 1).model().jobId()).isEqualTo("job-b");
        assertThat(samples.sample("job-a", 1, 1).model().jobId()).isEqualTo("job-a");
        Samples strip = samples.interpolate(null, 6, 2, LatentPath.Method.SLERP, 3);
        assertThat(strip.count()).isEqualTo(12);
    }

    @Test
    void aConditionalModelSamplesAClassOrEveryClassAndFreesItsArrays() {
        models.modelReady(saveModel("cond", 3, 4));
        samples.sample(null, 4, 0, 1);
        int arraysAtRest = engine.getManagedArrays().size();
        assertThat(samples.numClasses(null)).isEqualTo(4);

        Samples one = samples.sample(null, 6, 42, 2);
        assertThat(one.data()).hasSize(12).containsExactly(samples.sample(null, 6, 42, 2).data(), org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(samples.sample(null, 6, 42, 3).data()).as("same z, another class").isNotEqualTo(one.data());

        Samples grid = samples.samplePerClass(null, 6, 42);
        assertThat(grid.count()).isEqualTo(24);
        float[] third = java.util.Arrays.copyOfRange(grid.data(), 2 * 12, 3 * 12);
        assertThat(third).as("row 2 is class 2 with the seed's latents").containsExactly(one.data(), org.assertj.core.api.Assertions.within(1e-5f));

        assertThat(samples.interpolate(null, 5, 2, LatentPath.Method.SLERP, 1, 0).count()).isEqualTo(10);
        assertThat(samples.sample(null, 3, 1, null).count()).isEqualTo(3);
        assertThatThrownBy(() -> samples.sample(null, 1, 1, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 3");
        assertThat(engine.getManagedArrays()).hasSize(arraysAtRest);

        models.modelReady(saveModel("plain", 3));
        assertThat(samples.numClasses(null)).isZero();
        assertThatThrownBy(() -> samples.sample(null, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unconditional");
        assertThatThrownBy(() -> samples.samplePerClass(null, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentRequestsSurviveModelSwapsAndFreeEveryArray() throws Exception {
        ModelInfo a = saveModel("job-a", 4);
        ModelInfo b = saveModel("job-b", 4);
        models.modelReady(a);
        samples.sample(null, 16, 0);
        int arraysAtRest = engine.getManagedArrays().size();

        int clientCount = 4;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger served = new AtomicInteger();
        AtomicBoolean swapsDone = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(clientCount);
        List<Future<?>> requests = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            int client = c;
            requests.add(clients.submit(() -> {
                JniUtils.setGradMode(false);
                // at least 300 requests each, and on until the last swap
                for (int i = 0; i < 300 || !swapsDone.get(); i++) {
                    Samples s = samples.sample(null, 16, client * 1000L + i);
                    assertThat(s.data()).hasSize(32).doesNotContain(Float.NaN);
                    seen.add(s.model().jobId());
                    served.incrementAndGet();
                }
            }));
        }
        try {
            for (int swap = 0; swap < 40; swap++) {
                models.modelReady(swap % 2 == 0 ? b : a);
                // Instead of a pause: wait until a request that began after this swap has been served. At most
                // one request per client was under way when the swap returned, so the (clients + 1)th answer
                // after it is one that began after it and sampled the model swapped in.
                int target = served.get() + clientCount + 1;
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
                while (served.get() < target && requests.stream().noneMatch(Future::isDone)) {
                    assertThat(System.nanoTime()).as("requests served after swap %d", swap).isLessThan(deadline);
                    Thread.yield();
                }
            }
        } finally {
            swapsDone.set(true); // the clients stop even if a swap fails
        }
        for (Future<?> f : requests) {
            f.get(); // rethrows any request's failure
        }
        clients.shutdown();
        models.modelReady(a);
        assertThat(seen).containsExactlyInAnyOrder("job-a", "job-b");
        // Every replaced snapshot and every request's arrays were released.
        assertThat(engine.getManagedArrays()).hasSize(arraysAtRest);
    }

    @Test
    void aGeneratorARequestHoldsIsNotRetiredAndOneNoneHoldsIsFreedAndNeverLoadedAgain() {
        Instant now = Instant.now();
        ModelInfo a = saveModel("job-a", 3, now.minusSeconds(2));
        ModelInfo b = saveModel("job-b", 3, now.minusSeconds(1));
        models.modelReady(a);
        models.modelReady(b);
        samples.sample("job-a", 2, 1); // job-a now also sits in the cache
        int arraysAtRest = engine.getManagedArrays().size();

        try (ServingModels.Lease held = models.lease("job-b")) {
            assertThatThrownBy(() -> models.retire("job-b")).isInstanceOf(ModelInUseException.class)
                    .hasMessageContaining("in flight");
            assertThat(models.latestModel()).map(ModelInfo::jobId).contains("job-b");
            assertThat(samples.sample(null, 2, 1).model().jobId()).isEqualTo("job-b");
            assertThat(held.snapshot().generate(new float[3], 1)).hasSize(2).doesNotContain(Float.NaN);
        }
        try (ServingModels.Lease held = models.lease("job-a")) {
            assertThatThrownBy(() -> models.retire("job-a")).isInstanceOf(ModelInUseException.class);
        }

        models.retire("job-b"); // the default: the newest other model takes its place
        assertThat(models.latestModel()).map(ModelInfo::jobId).contains("job-a");
        assertThat(samples.sample(null, 2, 1).model().jobId()).isEqualTo("job-a");
        assertThatThrownBy(() -> samples.sample("job-b", 1, 1)).isInstanceOf(NoModelException.class)
                .hasMessageContaining("deleted");
        models.refreshFromRegistry(); // job-b's files are still on disk here: it must not come back
        assertThat(models.latestModel()).map(ModelInfo::jobId).contains("job-a");

        models.retire("job-a"); // the last one: nothing is served, and its cached copy is freed too
        assertThat(models.latestModel()).isEmpty();
        assertThatThrownBy(() -> samples.sample(null, 1, 1)).isInstanceOf(NoModelException.class);
        assertThat(engine.getManagedArrays().size()).isLessThan(arraysAtRest);
        assertThat(models.heldBytes()).isZero();
    }

    @Test
    void aPinnedModelStaysTheDefaultThroughNewerModelsAndRestartsUntilUnpinned() {
        Instant now = Instant.now();
        ModelInfo a = saveModel("job-a", 3, now.minusSeconds(3));
        models.modelReady(a);
        models.modelReady(saveModel("job-b", 3, now.minusSeconds(2)));

        models.pin(a);
        assertThat(models.pinnedJob()).contains("job-a");
        assertThat(samples.sample(null, 1, 1).model().jobId()).isEqualTo("job-a");
        models.modelReady(saveModel("job-c", 3, now.minusSeconds(1))); // finishes while job-a is pinned
        models.refreshFromRegistry();
        assertThat(samples.sample(null, 1, 1).model().jobId()).isEqualTo("job-a");
        assertThatThrownBy(() -> models.retire("job-a")).isInstanceOf(ModelInUseException.class)
                .hasMessageContaining("pinned");

        try (ServingModels restarted = new ServingModels(registry, engine, 2)) {
            restarted.refreshFromRegistry();
            assertThat(restarted.latestModel()).map(ModelInfo::jobId).contains("job-a");
            assertThat(restarted.pinnedJob()).contains("job-a");
        }

        models.unpin();
        assertThat(models.pinnedJob()).isEmpty();
        assertThat(samples.sample(null, 1, 1).model().jobId()).isEqualTo("job-c");
        try (ServingModels restarted = new ServingModels(registry, engine, 2)) {
            restarted.refreshFromRegistry();
            assertThat(restarted.latestModel()).map(ModelInfo::jobId).contains("job-c");
        }
    }

    @Test
    void anotherInstancesPinAndUnpinReachThisOneThroughTheRegistry() {
        Instant now = Instant.now();
        ModelInfo a = saveModel("job-a", 3, now.minusSeconds(2));
        saveModel("job-b", 3, now.minusSeconds(1));
        models.refreshFromRegistry();
        assertThat(models.latestModel()).map(ModelInfo::jobId).contains("job-b");
        try (ServingModels other = new ServingModels(registry, engine, 2)) {
            other.pin(a);
            models.refreshFromRegistry();
            assertThat(models.latestModel()).map(ModelInfo::jobId).contains("job-a");
            assertThat(models.pinnedJob()).contains("job-a");
            other.unpin();
        }
        models.refreshFromRegistry();
        assertThat(models.latestModel()).map(ModelInfo::jobId).contains("job-b");
        assertThat(models.pinnedJob()).isEmpty();
    }
}
