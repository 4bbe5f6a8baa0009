package io.ganserve.training;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.TrainingConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.GaussianMixture;
import io.ganserve.data.PointDataset;
import io.ganserve.gan.NetworkSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GanTrainerTest {

    private static final int LATENT = 4;

    @BeforeAll
    static void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    private static TrainingConfig config(long seed, Precision precision) {
        return TrainingConfig.builder("ring8").hidden(16, 2).steps(20).batchSize(16).discriminatorSteps(2)
                .latentDim(LATENT).learningRates(1e-3f, 1e-3f).schedule(LearningRateSchedule.LINEAR).seed(seed)
                .checkpointEvery(10).precision(precision).build();
    }

    private static GanTrainer trainer(NDManager manager, long seed) {
        return trainer(manager, seed, Precision.FLOAT32);
    }

    private static GanTrainer trainer(NDManager manager, long seed, Precision precision) {
        PointDataset data = new PointDataset(GaussianMixture.ring8(), 1000, seed);
        TrainingConfig c = config(seed, precision);
        NetworkSpec spec = NetworkSpec.mlp(LATENT, List.of(2), 16, 2);
        return new GanTrainer(c, spec, new BatchSource(data, c.batchSize(), c.discriminatorSteps(), LATENT, seed),
                manager, GradientCollectors.lock());
    }

    private static byte[] state(GanTrainer t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.saveState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static void assertSameParameters(GanTrainer x, GanTrainer y) {
        for (ai.djl.nn.Block[] pair : new ai.djl.nn.Block[][] {
            {x.generator(), y.generator()}, {x.discriminator(), y.discriminator()}}) {
            var px = pair[0].getParameters().values();
            var py = pair[1].getParameters().values();
            assertThat(px).hasSameSizeAs(py);
            for (int i = 0; i < px.size(); i++) {
                assertThat(px.get(i).getArray().toFloatArray()).as(px.get(i).getName())
                        .containsExactly(py.get(i).getArray().toFloatArray(), within(1e-5f));
            }
        }
    }

    /** Five steps' losses and the generator's first weights; the trainer is left at step 5. */
    private static float[] fiveSteps(GanTrainer t) {
        float[] out = new float[10];
        for (int s = 0; s < 5; s++) {
            StepResult r = t.step(s);
            out[2 * s] = r.generatorLoss();
            out[2 * s + 1] = r.discriminatorLoss();
        }
        return out;
    }

    private static double largestDifference(float[] x, float[] y) {
        double largest = 0;
        for (int i = 0; i < x.length; i++) {
            largest = Math.max(largest, Math.abs(x[i] - y[i]));
        }
        return largest;
    }

    @Test
    void aBfloat16StepRoundsDifferentlyLeavesTheThreadAsItWasAndCheckpointsAsFloat32Does() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
             GanTrainer f32 = trainer(m, 3, Precision.FLOAT32);
             GanTrainer bf16 = trainer(m, 3, Precision.BFLOAT16);
             GanTrainer reloaded = trainer(m, 4, Precision.FLOAT32)) {
            float[] a = fiveSteps(f32);
            float[] b = fiveSteps(bf16);
            assertThat(MixedPrecision.current()).as("only the steps ran in bfloat16").isEqualTo(Precision.FLOAT32);
            double apart = largestDifference(a, b);
            System.out.printf("five steps' losses, float32 against bfloat16: at most %.2e apart%n", apart);
            assertThat(apart).as("the same seed, another arithmetic").isGreaterThan(1e-5);
            assertThat(apart).as("but close: the sums and weights are float32").isLessThan(0.05);

            // a float32 job is float32 even where its caller was in a bfloat16 scope: the job decides
            try (NDManager n = NDManager.newBaseManager(); GanTrainer again = trainer(n, 3, Precision.FLOAT32);
                 MixedPrecision.Scope outer = MixedPrecision.use(Precision.BFLOAT16)) {
                assertThat(largestDifference(fiveSteps(again), a)).isLessThan(1e-6);
                assertThat(MixedPrecision.current()).isEqualTo(Precision.BFLOAT16);
            }

            // the weights stay float32: a bfloat16 run's checkpoint is a float32 run's start
            reloaded.loadState(new DataInputStream(new ByteArrayInputStream(state(bf16))));
            assertSameParameters(reloaded, bf16);
        }
    }

    @Test
    void aSeededRunIsReproducible() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
             GanTrainer a = trainer(m, 3);
             GanTrainer b = trainer(m, 3)) {
            for (int s = 0; s < 10; s++) {
                StepResult ra = a.step(s);
                StepResult rb = b.step(s);
                assertThat(ra.generatorLoss()).isCloseTo(rb.generatorLoss(), within(1e-5f));
                assertThat(ra.discriminatorLoss()).isCloseTo(rb.discriminatorLoss(), within(1e-5f));
            }
            assertSameParameters(a, b);
        }
    }

    @Test
    void resumingFromACheckpointContinuesExactlyWhereTheRunWas() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
             GanTrainer straight = trainer(m, 9);
             GanTrainer first = trainer(m, 9);
             GanTrainer resumed = trainer(m, 9)) {
            for (int s = 0; s < 20; s++) {
                straight.step(s);
            }
            for (int s = 0; s < 10; s++) {
                first.step(s);
            }
            resumed.loadState(new DataInputStream(new ByteArrayInputStream(state(first))));
            StepResult last = null;
            for (int s = 10; s < 20; s++) {
                last = resumed.step(s);
            }
            // Parameters and batch-norm statistics match (to float rounding: libtorch's CPU kernels may
            // sum in another order depending on memory alignment), and the optimiser moments came back.
            assertSameParameters(resumed, straight);
            assertThat(state(resumed).length).isEqualTo(state(straight).length);
            assertThat(last.isFinite()).isTrue();
        }
    }

    @Test
    void theGeneratorStepMovesOnlyTheGeneratorAndTheDiscriminatorStepOnlyTheDiscriminator() throws IOException {
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, 1)) {
            float[] g0 = t.generator().getParameters().get(0).getValue().getArray().toFloatArray();
            float[] d0 = t.discriminator().getParameters().get(0).getValue().getArray().toFloatArray();
            t.step(0);
            float[] g1 = t.generator().getParameters().get(0).getValue().getArray().toFloatArray();
            float[] d1 = t.discriminator().getParameters().get(0).getValue().getArray().toFloatArray();
            assertThat(g1).isNotEqualTo(g0);
            assertThat(d1).isNotEqualTo(d0);
            // D stays trainable after the G step froze it.
            assertThat(t.discriminator().getParameters().get(0).getValue().getArray().hasGradient()).isTrue();
        }
    }
}
