package io.ganserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.gan.ChunkedForward;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class EncoderTrainerTest {

    /** A fixed random DCGAN-28: what an encoder sees is G's own output distribution, trained or not. */
    static final NetworkSpec SPEC = NetworkSpec.dcgan(8, List.of(1, 28, 28), 8);

    static Block fixedGenerator(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Block g = GanModelZoo.generator(SPEC, manager);
        for (Parameter p : g.getParameters().values()) {
            p.getArray().setRequiresGradient(false);
        }
        return g;
    }

    @Test
    void theEncoderLearnsToPredictTheNoiseOfGeneratedImages() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block g = fixedGenerator(manager, 3);
            EncoderTrainer.FixedGenerator fixed = (target, latents, n) ->
                    ChunkedForward.run(g, target, latents, n, SPEC.generatorInputDim(), 64);
            EncoderSettings settings = new EncoderSettings(300, 32, 1e-3f, 5);
            try (EncoderTrainer trainer = new EncoderTrainer(SPEC, settings, fixed, manager, new ReentrantLock())) {
                double before = trainer.validationError();
                float first = trainer.step(0);
                float last = first;
                for (long step = 1; step < settings.steps(); step++) {
                    last = trainer.step(step);
                }
                double after = trainer.validationError();
                assertThat(Float.isFinite(first) && Float.isFinite(last)).isTrue();
                // predicting 0 scores 1.0 per dimension on N(0, I) noise; the trained encoder must do far better
                assertThat(after).as("held-out latent error before %s, after %s", before, after).isLessThan(0.3);
                assertThat(after).isLessThan(before / 3);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                trainer.saveEncoder(new DataOutputStream(bytes));
                assertThat(bytes.size()).as("weights written").isGreaterThan(4 * 8 * 128 * 7 * 7);
            }
        }
    }

    @Test
    void stepsAreFunctionsOfTheSeedAndStep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block g = fixedGenerator(manager, 3);
            EncoderTrainer.FixedGenerator fixed = (target, latents, n) ->
                    ChunkedForward.run(g, target, latents, n, SPEC.generatorInputDim(), 64);
            EncoderSettings settings = new EncoderSettings(3, 8, 1e-3f, 9);
            float[] a = new float[3];
            float[] b = new float[3];
            try (EncoderTrainer one = new EncoderTrainer(SPEC, settings, fixed, manager, new ReentrantLock())) {
                for (int s = 0; s < 3; s++) {
                    a[s] = one.step(s);
                }
            }
            try (EncoderTrainer two = new EncoderTrainer(SPEC, settings, fixed, manager, new ReentrantLock())) {
                for (int s = 0; s < 3; s++) {
                    b[s] = two.step(s);
                }
            }
            assertThat(b).containsExactly(a);
        }
    }

    @Test
    void aBfloat16EncoderRoundsDifferentlyWhileItUpdatesAndIsMeasuredInFloat32() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block g = fixedGenerator(manager, 3);
            EncoderTrainer.FixedGenerator fixed = (target, latents, n) -> {
                assertThat(MixedPrecision.current()).as("G's images are drawn outside the update's precision")
                        .isEqualTo(Precision.FLOAT32);
                return ChunkedForward.run(g, target, latents, n, SPEC.generatorInputDim(), 64);
            };
            EncoderSettings f32 = new EncoderSettings(3, 8, 1e-3f, 9);
            double apart = 0;
            try (EncoderTrainer one = new EncoderTrainer(SPEC, f32, fixed, manager, new ReentrantLock());
                 EncoderTrainer two = new EncoderTrainer(SPEC, f32.withPrecision(Precision.BFLOAT16), fixed, manager,
                         new ReentrantLock())) {
                for (int s = 0; s < 3; s++) {
                    float a = one.step(s);
                    float b = two.step(s);
                    apart = Math.max(apart, Math.abs(a - b) / a);
                }
                assertThat(MixedPrecision.current()).isEqualTo(Precision.FLOAT32);
                assertThat(two.validationError()).isFinite();
            }
            System.out.printf("encoder loss, bfloat16 against float32: at most %.2e apart (relative)%n", apart);
            assertThat(apart).as("the same seed, another arithmetic").isGreaterThan(1e-6).isLessThan(0.05);
        }
    }
}
