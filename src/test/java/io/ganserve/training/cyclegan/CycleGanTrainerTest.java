package io.ganserve.training.cyclegan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CycleGanTrainerTest {

    private static final int SIDE = 32;

    @BeforeAll
    static void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false); // as the job workers' threads run
    }

    /**
     * Squares of random colours on white; domain B holds the same kind of image with red and blue
     * swapped, a translation a tiny network can learn in a few dozen steps.
     */
    record Squares(String name, boolean swapped, int size) implements Dataset {
        @Override
        public DataKind kind() {
            return DataKind.IMAGES;
        }

        @Override
        public int[] sampleShape() {
            return new int[] {3, SIDE, SIDE};
        }

        @Override
        public int numClasses() {
            return 0;
        }

        @Override
        public int label(int index) {
            return -1;
        }

        @Override
        public void copySample(int index, float[] dst, int offset) {
            Random r = new Random(index * 7919L + (swapped ? 1 : 0));
            float[] colour = {0.6f + 0.4f * r.nextFloat(), 2 * r.nextFloat() - 1, -1 + 0.5f * r.nextFloat()};
            if (swapped) {
                float red = colour[0];
                colour[0] = colour[2];
                colour[2] = red;
            }
            int from = 4 + r.nextInt(8);
            int to = SIDE - 4 - r.nextInt(8);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        boolean inside = x >= from && x < to && y >= from && y < to;
                        dst[offset + (c * SIDE + y) * SIDE + x] = inside ? colour[c] : 1f;
                    }
                }
            }
        }
    }

    private static CycleGanSettings settings(int steps) {
        return new CycleGanSettings(new TranslatorSpec(3, SIDE, 8, 1, 8), steps, 4, 2e-3f, 0.5f, 0.999f, 10f, 0.5f,
                6, 5);
    }

    private static CycleGanTrainer trainer(NDManager m, int steps) {
        return trainer(m, settings(steps));
    }

    private static CycleGanTrainer trainer(NDManager m, CycleGanSettings settings) {
        return new CycleGanTrainer(settings, new Squares("a", false, 64), new Squares("b", true, 64), m,
                GradientCollectors.lock());
    }

    @Test
    void aBfloat16RunRoundsDifferentlyAndOnlyWhileItSteps() {
        try (NDManager m = NDManager.newBaseManager();
             CycleGanTrainer f32 = trainer(m, settings(4));
             CycleGanTrainer bf16 = trainer(m, settings(4).withPrecision(Precision.BFLOAT16))) {
            double apart = 0;
            for (int s = 0; s < 3; s++) {
                CycleStepResult a = f32.step(s);
                CycleStepResult b = bf16.step(s);
                assertThat(MixedPrecision.current()).isEqualTo(Precision.FLOAT32);
                apart = Math.max(apart, Math.abs(a.cycle() - b.cycle()) / a.cycle());
            }
            System.out.printf("CycleGAN's cycle loss, bfloat16 against float32: at most %.2e apart (relative)%n", apart);
            assertThat(apart).as("the same seed, another arithmetic").isGreaterThan(1e-6).isLessThan(0.05);
        }
    }

    private static byte[] state(CycleGanTrainer t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.saveState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Test
    void aResumedRunContinuesExactlyWhereTheRunWas() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
             CycleGanTrainer straight = trainer(m, 8);
             CycleGanTrainer first = trainer(m, 8);
             CycleGanTrainer resumed = trainer(m, 8)) {
            for (int s = 0; s < 8; s++) {
                straight.step(s);
            }
            for (int s = 0; s < 4; s++) {
                first.step(s);
            }
            // a different process would start from fresh weights: move them, then load the checkpoint over them
            resumed.step(0);
            resumed.loadState(new DataInputStream(new ByteArrayInputStream(state(first))));
            for (int s = 4; s < 8; s++) {
                resumed.step(s);
            }
            for (Block[] pair : new Block[][] {{straight.forwardGenerator(), resumed.forwardGenerator()},
                    {straight.backwardGenerator(), resumed.backwardGenerator()}}) {
                var a = pair[0].getParameters().values();
                var b = pair[1].getParameters().values();
                for (int i = 0; i < a.size(); i++) {
                    assertThat(b.get(i).getArray().toFloatArray()).as(a.get(i).getName())
                            .containsExactly(a.get(i).getArray().toFloatArray(), within(1e-5f));
                }
            }
            assertThat(state(resumed)).hasSameSizeAs(state(straight)); // the pools came back full as well
        }
    }

    @Test
    void theCycleLossFallsAndTheCriticsStayInPlay() {
        int steps = 60;
        try (NDManager m = NDManager.newBaseManager(); CycleGanTrainer t = trainer(m, steps)) {
            CycleStepResult first = t.step(0);
            double lateCycle = 0;
            CycleStepResult last = first;
            for (int s = 1; s < steps; s++) {
                last = t.step(s);
                assertThat(last.isFinite()).as("step " + s).isTrue();
                if (s >= steps - 10) {
                    lateCycle += last.cycle() / 10;
                }
            }
            assertThat(lateCycle).as("cycle loss, mean of the last 10 steps vs the first").isLessThan(0.5 * first.cycle());
            // least squares around 0.25 means a critic that is not winning outright
            assertThat(last.criticA()).isBetween(0.01f, 0.5f);
            assertThat(last.criticB()).isBetween(0.01f, 0.5f);
            assertThat(List.of(last.adversarial(), last.identity())).allMatch(v -> v > 0);
        }
    }
}
