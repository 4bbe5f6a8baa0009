package io.ganserve.training;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.GaussianMixture;
import io.ganserve.data.PointDataset;
import io.ganserve.gan.LossKind;
import io.ganserve.gan.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each variant changes the training step the way its paper says. */
class VariantTrainingTest {

    @BeforeAll
    static void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    private static GanTrainer trainer(NDManager m, LossKind loss, Variant variant, int batch) {
        TrainingConfig c = TrainingConfig.builder("ring8").hidden(16, 2).loss(loss).steps(50).batchSize(batch)
                .discriminatorSteps(2).latentDim(4).learningRates(1e-3f, 1e-3f).seed(1).checkpointEvery(10)
                .variant(variant).build();
        NetworkSpec spec = NetworkSpec.mlp(4, List.of(2), 16, 2).withPack(variant.pack()).withSpectralNorm(variant.spectralNorm());
        PointDataset data = new PointDataset(GaussianMixture.ring8(), 1000, 1);
        return new GanTrainer(c, spec, new BatchSource(data, batch, 2, 4, 1), m, GradientCollectors.lock());
    }

    @Test
    void weightClippingKeepsEveryCriticParameterInsideTheBox() {
        Variant wgan = Variant.builder().optimizer(OptimizerKind.RMSPROP).clipValue(0.01f).build();
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, LossKind.WGAN, wgan, 16)) {
            StepResult last = null;
            for (int s = 0; s < 20; s++) {
                last = t.step(s);
            }
            for (Parameter p : t.discriminator().getParameters().values()) {
                assertThat(p.getArray().abs().max().getFloat()).as(p.getName()).isLessThanOrEqualTo(0.01f + 1e-7f);
            }
            assertThat(last.wassersteinEstimate()).isNotNull();
            assertThat(last.wassersteinEstimate()).isEqualTo(-last.discriminatorLoss());
            assertThat(last.gradientPenalty()).isNull();
        }
    }

    @Test
    void theGradientPenaltyIsReportedAndPartOfTheCriticLoss() {
        Variant gp = Variant.builder().gradientPenalty(10).build();
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, LossKind.WGAN_GP, gp, 16)) {
            StepResult r = t.step(0);
            assertThat(r.gradientPenalty()).isNotNull().isPositive();
            assertThat(r.discriminatorLoss()).isCloseTo(-r.wassersteinEstimate() + r.gradientPenalty(),
                    org.assertj.core.api.Assertions.within(1e-4f));
        }
    }

    @Test
    void packingFeedsTheDiscriminatorMSamplesAtOnce() {
        Variant pac = Variant.builder().pack(4).build();
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, LossKind.NON_SATURATING, pac, 16)) {
            Parameter first = t.discriminator().getParameters().get(0).getValue();
            assertThat(first.getArray().getShape().get(1)).isEqualTo(8); // 4 samples x 2 coordinates
            assertThat(t.step(0).isFinite()).isTrue();
        }
    }

    @Test
    void theServedGeneratorIsTheMovingAverageOfTheTrainedOne() {
        float decay = 0.9f;
        Variant ema = Variant.builder().emaDecay(decay).build();
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, LossKind.NON_SATURATING, ema, 16)) {
            float[] before = t.generator().getParameters().get(0).getValue().getArray().toFloatArray();
            t.step(0);
            float[] after = t.generator().getParameters().get(0).getValue().getArray().toFloatArray();
            float[] averaged = t.servedGenerator().getParameters().get(0).getValue().getArray().toFloatArray();
            assertThat(t.servedGenerator()).isNotSameAs(t.generator());
            for (int i = 0; i < before.length; i++) {
                assertThat(averaged[i]).isCloseTo(decay * before[i] + (1 - decay) * after[i],
                        org.assertj.core.api.Assertions.within(1e-6f));
            }
        }
    }

    @Test
    void spectralNormTrainsWithTheHingeLoss() {
        Variant sn = Variant.builder().spectralNorm(true).build();
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, LossKind.HINGE, sn, 16)) {
            for (int s = 0; s < 5; s++) {
                assertThat(t.step(s).isFinite()).isTrue();
            }
            assertThat(t.discriminator().getParameters().keys()).anyMatch(k -> k.endsWith("_u"));
        }
    }

    static List<Arguments> everyVariant() {
        return List.of(
                Arguments.of("non-saturating", LossKind.NON_SATURATING, Variant.NONE),
                Arguments.of("wgan (clipping, rmsprop)", LossKind.WGAN,
                        Variant.builder().optimizer(OptimizerKind.RMSPROP).clipValue(0.01f).build()),
                Arguments.of("wgan-gp", LossKind.WGAN_GP, Variant.builder().gradientPenalty(10).build()),
                Arguments.of("hinge + spectral norm", LossKind.HINGE,
                        Variant.builder().spectralNorm(true).build()),
                Arguments.of("pack 4", LossKind.NON_SATURATING, Variant.builder().pack(4).build()),
                Arguments.of("ema", LossKind.NON_SATURATING, Variant.builder().emaDecay(0.99f).build()));
    }

    /**
     * The native-memory rule: every array a step makes is closed by the end of the step. Ops that
     * take a Number make their scalar on the receiver's manager, which for a parameter lives as long
     * as the job; WGAN's clipping once leaked that way, 8 MB a step.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVariant")
    void aTrainingStepLeavesNoArrayBehind(String name, LossKind loss, Variant variant) {
        try (NDManager m = NDManager.newBaseManager(); GanTrainer t = trainer(m, loss, variant, 16)) {
            for (int s = 0; s < 3; s++) {
                t.step(s); // optimiser buffers and spectral-norm vectors exist after the first steps
            }
            int live = m.getManagedArrays().size();
            for (int s = 3; s < 13; s++) {
                t.step(s);
            }
            assertThat(m.getManagedArrays()).as(name).hasSize(live);
        }
    }
}
