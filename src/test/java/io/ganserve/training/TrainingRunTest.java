package io.ganserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @TempDir
    Path root;

    /** Point data that turns non-finite after {@code finiteReads} samples, as a diverging run's values would. */
    record PoisonedPoints(int size, int finiteReads, java.util.concurrent.atomic.AtomicInteger reads) implements Dataset {
        public String name() { return "poison"; }
        public DataKind kind() { return DataKind.POINTS; }
        public int[] sampleShape() { return new int[] {2}; }
        public int numClasses() { return 0; }
        public int label(int index) { return -1; }
        public void copySample(int index, float[] dst, int offset) {
            dst[offset] = reads.incrementAndGet() <= finiteReads ? index % 7 : Float.NaN;
            dst[offset + 1] = 1;
        }
    }

    @Test
    void aDivergingRunFailsNamingTheStepAndKeepsTheLastGoodCheckpoint() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
        ModelRegistry registry = new ModelRegistry(root, 3);
        TrainingConfig config = new TrainingConfig("poison", Architecture.MLP, LossKind.NON_SATURATING, 100, 10, 1, 2,
                8, 1, 0, 0, 1e-3f, 1e-3f, 0.5f, 0.999f, LearningRateSchedule.CONSTANT, 1, 5, DeviceKind.AUTO, Variant.NONE);
        AtomicReference<Job> job = new AtomicReference<>(Job.queued("poisoned", config, Instant.now()));
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingRun run = new TrainingRun(registry, manager, GradientCollectors.lock(), Clock.systemUTC(), null);
            // batch 10 with one D step reads 10 samples a step: the first NaN batch is step 51.
            assertThatThrownBy(() -> run.run(job.get(), new PoisonedPoints(1000, 500, new java.util.concurrent.atomic.AtomicInteger()),
                    (change, persist) -> job.updateAndGet(change), () -> false, new JobListener() { }))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("step 51");
        }
        assertThat(registry.latestCheckpoint("poisoned").orElseThrow().step()).isEqualTo(50);
        assertThat(registry.model("poisoned")).isEmpty();
    }
}
