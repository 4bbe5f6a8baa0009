package io.ganserve.training;

import io.ganserve.engine.GradientCollectors;
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

    private static TrainingConfig config(long seed) {
        return TrainingConfig.builder("ring8").hidden(16, 2).steps(20).batchSize(16).discriminatorSteps(2)
                .latentDim(LATENT).learningRates(1e-3f, 1e-3f).schedule(LearningRateSchedule.LINEAR).seed(seed)
                .checkpointEvery(10).build();
    }

    private static GanTrainer trainer(NDManager manager, long seed) {
        PointDataset data = new PointDataset(GaussianMixture.ring8(), 1000, seed);
        TrainingConfig c = config(seed);
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
