package io.ganserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.ganserve.engine.precision.Precision;
import io.ganserve.engine.precision.PrecisionChoice;
import io.ganserve.gan.NetworkSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What served generators multiply in, and how far a bfloat16 pass's pixels are from float32's. */
class ServingPrecisionTest {

    private static final NetworkSpec DCGAN = NetworkSpec.dcgan(100, List.of(1, 28, 28), 64);
    private static final NetworkSpec MLP = NetworkSpec.mlp(2, List.of(2), 64, 3);

    @Test
    void autoIsBfloat16ForConvolutionalGeneratorsWhereTheHardwareHasItAndFloat32Otherwise() {
        assertThat(new ServingPrecision(PrecisionChoice.AUTO, true).forModel(DCGAN)).isEqualTo(Precision.BFLOAT16);
        assertThat(new ServingPrecision(PrecisionChoice.AUTO, true).forModel(MLP)).isEqualTo(Precision.FLOAT32);
        assertThat(new ServingPrecision(PrecisionChoice.AUTO, false).forModel(DCGAN)).isEqualTo(Precision.FLOAT32);
        assertThat(new ServingPrecision(PrecisionChoice.FLOAT32, true).forModel(DCGAN)).isEqualTo(Precision.FLOAT32);
        assertThat(new ServingPrecision(PrecisionChoice.BFLOAT16, false).forModel(MLP)).isEqualTo(Precision.BFLOAT16);
        assertThat(ServingPrecision.FLOAT32.forModel(DCGAN)).isEqualTo(Precision.FLOAT32);
    }

    /**
     * The same latents through a DCGAN-28 (the serving default, 64 feature maps) in both
     * precisions. Its last layer's weights are scaled up 30x so that the pixels span most of
     * [0, 1] as a trained generator's do (freshly initialised ones sit near grey, where any
     * rounding looks small). Measured here: max |Δ| 0.009, mean |Δ| 0.0013 in the generator's
     * [-1, 1] units; a Fashion-MNIST generator trained 400 steps gave 0.015–0.018 and 0.0010–0.0011
     * over three seeds (docs/api.md). The bounds leave room for other bfloat16 kernels (AVX-512
     * BF16 without AMX, a GPU's).
     */
    @Test
    void aBfloat16PassDrawsTheFloat32PixelsWithinRounding() throws Exception {
        Engine.getInstance();
        try (NDManager engine = NDManager.newBaseManager()) {
            GeneratorSnapshot snapshot = FreshSnapshots.dcgan(DCGAN, engine, generator -> {
                Parameter last = null;
                for (var p : generator.getParameters()) {
                    if (p.getKey().endsWith("weight")) {
                        last = p.getValue();
                    }
                }
                last.getArray().muli(30);
            });
            int n = 64;
            float[] z = new float[n * 100];
            Random random = new Random(1);
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) random.nextGaussian();
            }
            assertThat(snapshot.precision()).as("a snapshot serves float32 until told otherwise").isEqualTo(Precision.FLOAT32);
            float[] float32 = snapshot.generate(z, n);
            snapshot.runIn(Precision.BFLOAT16);
            float[] bfloat16 = snapshot.generate(z, n);
            snapshot.release();

            float lowest = 1;
            float highest = 0;
            double max = 0;
            double sum = 0;
            for (int i = 0; i < float32.length; i++) {
                lowest = Math.min(lowest, float32[i]);
                highest = Math.max(highest, float32[i]);
                double d = 2.0 * Math.abs(float32[i] - bfloat16[i]); // pixels in [0, 1], the generator's units [-1, 1]
                max = Math.max(max, d);
                sum += d;
            }
            double mean = sum / float32.length;
            System.out.printf("bfloat16 against float32, %d samples: max |d| %.5f, mean |d| %.6f (pixels %.3f to %.3f)%n",
                    n, max, mean, lowest, highest);
            assertThat(highest - lowest).as("pixels that span the range, as a trained generator's").isGreaterThan(0.7f);
            assertThat(mean).as("the bfloat16 kernels ran: the pixels moved").isGreaterThan(1e-5);
            assertThat(max).as("max |d|, [-1, 1] units").isLessThan(0.05);
            assertThat(mean).as("mean |d|, [-1, 1] units").isLessThan(0.005);
        }
    }
}
