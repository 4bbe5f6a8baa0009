package io.ganserve.jobs;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.TrainingDivergedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @TempDir
    Path root;

    /**
     * Point data whose reads number {@code finiteReads + 1} to {@code finiteReads + poisonedReads}
     * are NaN: for ever, as a diverging run's values would be, or for one batch, as memory another
     * thread scribbled on would be.
     */
    record PoisonedPoints(int size, int finiteReads, int poisonedReads, java.util.concurrent.atomic.AtomicInteger reads)
            implements Dataset {
        public String name() { return "poison"; }
        public DataKind kind() { return DataKind.POINTS; }
        public int[] sampleShape() { return new int[] {2}; }
        public int numClasses() { return 0; }
        public int label(int index) { return -1; }
        public void copySample(int index, float[] dst, int offset) {
            int read = reads.incrementAndGet();
            dst[offset] = read <= finiteReads || read > finiteReads + poisonedReads ? index % 7 : Float.NaN;
            dst[offset + 1] = 1;
        }
    }

    private static final TrainingConfig CONFIG = TrainingConfig.builder("poison").hidden(8, 1).steps(100)
            .batchSize(10).latentDim(2).learningRates(1e-3f, 1e-3f).seed(1).checkpointEvery(5).build();

    /** What the run told its listener about replays: "step from fromStep". */
    private static JobListener replaysInto(List<String> replays) {
        return new JobListener() {
            @Override
            public void divergenceReplayed(Job job, long step, long fromStep) {
                replays.add(step + " from " + fromStep);
            }
        };
    }

    @Test
    void aDivergenceThatRepeatsInTheReplayFailsNamingTheStepAndKeepsTheLastGoodCheckpoint() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
        ModelRegistry registry = new ModelRegistry(root, 3);
        AtomicReference<Job> job = new AtomicReference<>(Job.queued("poisoned", CONFIG, Instant.now()));
        List<String> replays = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingRun run = new TrainingRun(registry, null, manager, GradientCollectors.lock(), Clock.systemUTC(), null);
            // batch 10 with one D step reads 10 samples a step: the first NaN batch is step 51.
            assertThatThrownBy(() -> run.run(job.get(), new PoisonedPoints(1000, 500, 1_000_000,
                    new AtomicInteger()), (change, persist) -> job.updateAndGet(change), () -> false, replaysInto(replays)))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("step 51")
                    .hasMessageContaining("again after a replay");
        }
        assertThat(replays).containsExactly("51 from 50");
        assertThat(registry.latestCheckpoint("poisoned").orElseThrow().step()).isEqualTo(50);
        assertThat(registry.model("poisoned")).isEmpty();
    }

    @Test
    void aDivergenceThatDoesNotRepeatInTheReplayIsTrainedThrough() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
        ModelRegistry registry = new ModelRegistry(root, 3);
        AtomicReference<Job> job = new AtomicReference<>(Job.queued("scribbled", CONFIG, Instant.now()));
        List<String> replays = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingRun run = new TrainingRun(registry, null, manager, GradientCollectors.lock(), Clock.systemUTC(), null);
            // reads 571..580 are step 58's batch, once; the replay from step 55 reads it again, finite
            TrainingRun.Outcome outcome = run.run(job.get(), new PoisonedPoints(1000, 570, 10, new AtomicInteger()),
                    (change, persist) -> job.updateAndGet(change), () -> false, replaysInto(replays));
            assertThat(outcome).isEqualTo(TrainingRun.Outcome.COMPLETED);
        }
        assertThat(replays).containsExactly("58 from 55");
        assertThat(job.get().progress().step()).isEqualTo(100);
        assertThat(registry.model("scribbled")).isPresent();
    }
}
