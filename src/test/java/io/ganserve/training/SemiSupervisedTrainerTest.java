package io.ganserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.gan.NetworkSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class SemiSupervisedTrainerTest {

    /** Four classes: a bright 10 x 10 square in one of the four quadrants, on noise. */
    private record Quadrants(int size, long seed) implements Dataset {
        @Override public String name() { return "quadrants"; }
        @Override public DataKind kind() { return DataKind.IMAGES; }
        @Override public int[] sampleShape() { return new int[] {1, 28, 28}; }
        @Override public int numClasses() { return 4; }
        @Override public int label(int index) { return index % 4; }

        @Override
        public void copySample(int index, float[] dst, int offset) {
            Random rng = new Random(seed * 31 + index);
            int q = label(index);
            int top = (q / 2) * 14 + 2 + rng.nextInt(2);
            int left = (q % 2) * 14 + 2 + rng.nextInt(2);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean inside = y >= top && y < top + 10 && x >= left && x < left + 10;
                    dst[offset + y * 28 + x] = inside ? 0.9f : -0.9f + 0.2f * (float) rng.nextGaussian();
                }
            }
        }
    }

    private static final NetworkSpec GENERATOR = NetworkSpec.dcgan(8, List.of(1, 28, 28), 8);

    @Test
    void labelledImagesAreAnEqualShareOfEachClassDrawnWithTheSeed() {
        Quadrants data = new Quadrants(400, 1);
        int[] a = SemiSupervisedTrainer.pickLabelled(data, 10, 5);
        int[] counts = new int[4];
        for (int i : a) {
            counts[data.label(i)]++;
        }
        assertThat(counts).containsExactly(3, 3, 2, 2);
        assertThat(SemiSupervisedTrainer.pickLabelled(data, 10, 5)).containsExactly(a);
        assertThat(Arrays.equals(SemiSupervisedTrainer.pickLabelled(data, 10, 6), a)).isFalse();
    }

    @Test
    void bothTheSemiSupervisedClassifierAndItsBaselineLearnFromEightLabels() {
        Quadrants train = new Quadrants(400, 1);
        Quadrants test = new Quadrants(200, 2);
        for (boolean supervisedOnly : new boolean[] {true, false}) {
            try (NDManager m = NDManager.newBaseManager();
                 SemiSupervisedTrainer trainer = new SemiSupervisedTrainer(train, GENERATOR,
                         new SemiSupervisedTrainer.Settings(8, 80, 16, 1e-3f, 8, 3, supervisedOnly), m,
                         new ReentrantLock())) {
                double before = trainer.accuracy(test);
                float loss = 0;
                for (long s = 0; s < 80; s++) {
                    loss = trainer.step(s).discriminatorLoss();
                }
                assertThat(Float.isFinite(loss)).isTrue();
                double after = trainer.accuracy(test);
                assertThat(after).as("supervisedOnly %s: accuracy %s before, %s after", supervisedOnly, before, after)
                        .isGreaterThan(0.9);
            }
        }
    }

    @Test
    void aBfloat16RunRoundsDifferentlyAndOnlyWhileItSteps() {
        Quadrants train = new Quadrants(400, 1);
        double apart = 0;
        try (NDManager m = NDManager.newBaseManager();
             SemiSupervisedTrainer f32 = new SemiSupervisedTrainer(train, GENERATOR,
                     new SemiSupervisedTrainer.Settings(8, 5, 16, 1e-3f, 1e-3f, 8, 3, false, Precision.FLOAT32), m,
                     new ReentrantLock());
             SemiSupervisedTrainer bf16 = new SemiSupervisedTrainer(train, GENERATOR,
                     new SemiSupervisedTrainer.Settings(8, 5, 16, 1e-3f, 1e-3f, 8, 3, false, Precision.BFLOAT16), m,
                     new ReentrantLock())) {
            for (long s = 0; s < 3; s++) {
                StepResult a = f32.step(s);
                StepResult b = bf16.step(s);
                assertThat(MixedPrecision.current()).isEqualTo(Precision.FLOAT32);
                apart = Math.max(apart, Math.abs(a.discriminatorLoss() - b.discriminatorLoss()) / a.discriminatorLoss());
            }
        }
        System.out.printf("semi-supervised classifier loss, bfloat16 against float32: at most %.2e apart (relative)%n",
                apart);
        assertThat(apart).as("the same seed, another arithmetic").isGreaterThan(1e-6).isLessThan(0.05);
    }

    @Test
    void aCheckpointRestoresBothNetworksAndTheBaselineNeedsNoGenerator() throws Exception {
        Quadrants train = new Quadrants(400, 1);
        Quadrants test = new Quadrants(200, 2);
        SemiSupervisedTrainer.Settings semi = new SemiSupervisedTrainer.Settings(8, 30, 16, 1e-3f, 8, 3, false);
        SemiSupervisedTrainer.Settings alone = new SemiSupervisedTrainer.Settings(8, 30, 16, 1e-3f, 8, 3, true);
        for (SemiSupervisedTrainer.Settings settings : List.of(semi, alone)) {
            try (NDManager m = NDManager.newBaseManager();
                 SemiSupervisedTrainer trained = new SemiSupervisedTrainer(train, GENERATOR, settings, m,
                         new ReentrantLock());
                 SemiSupervisedTrainer fresh = new SemiSupervisedTrainer(train, GENERATOR, settings, m,
                         new ReentrantLock())) {
                for (long s = 0; s < 30; s++) {
                    trained.step(s);
                }
                java.io.ByteArrayOutputStream state = new java.io.ByteArrayOutputStream();
                trained.saveState(new java.io.DataOutputStream(state));
                java.io.ByteArrayOutputStream served = new java.io.ByteArrayOutputStream();
                trained.saveClassifier(new java.io.DataOutputStream(served));
                assertThat(state.size()).as("the baseline leaves its untrained generator out")
                        .isGreaterThan(settings.supervisedOnly() ? served.size() : 3 * served.size());
                double trainedAccuracy = trained.accuracy(test);
                assertThat(fresh.accuracy(test)).as("a fresh start is not the trained network")
                        .isNotEqualTo(trainedAccuracy);
                fresh.loadState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(state.toByteArray())));
                assertThat(fresh.accuracy(test)).isEqualTo(trainedAccuracy);
                assertThat(fresh.spec()).isEqualTo(new io.ganserve.gan.SemiSupervisedNetwork.Spec(4, 8, 1, 28));
                StepResult next = fresh.step(30);
                assertThat(next.isFinite()).as("it trains on after the load").isTrue();
                assertThat(next.generatorLoss() > 0).as("feature matching only outside the baseline")
                        .isEqualTo(!settings.supervisedOnly());
            }
        }
    }
}
