package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.gan.cyclegan.CycleGanNetworks;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The networks follow the thread's precision, and their parameter paths (what checkpoints and
 * optimiser state are keyed by) are those DJL's own layers give, so one checkpoint serves both.
 */
class MixedPrecisionNetworksTest {

    /** Max |bf16 − f32| over max |f32|: measured 0.006 (DCGAN-32 generator), 0.008 (its critic), 0.017 (CycleGAN generator) with seeds 3 and 4; bounded with margin. */
    private static final float RELATIVE_BOUND = 0.08f;

    @Test
    void parameterPathsAreThoseOfDjlsLayers() {
        NetworkSpec spec = NetworkSpec.dcgan(8, List.of(1, 28, 28), 8);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(GanModelZoo.generator(spec, m).getParameters().keys()).containsExactly(
                    "01Linear_weight", "03BatchNorm_gamma", "03BatchNorm_beta", "03BatchNorm_runningMean",
                    "03BatchNorm_runningVar", "05TransposedConv2d_weight", "06BatchNorm_gamma", "06BatchNorm_beta",
                    "06BatchNorm_runningMean", "06BatchNorm_runningVar", "08TransposedConv2d_weight",
                    "08TransposedConv2d_bias");
            assertThat(GanModelZoo.discriminator(spec, m).getParameters().keys()).containsExactly(
                    "01Conv2d_weight", "01Conv2d_bias", "03Conv2d_weight", "04BatchNorm_gamma", "04BatchNorm_beta",
                    "04BatchNorm_runningMean", "04BatchNorm_runningVar", "07Linear_weight", "07Linear_bias");
        }
    }

    @Test
    void dcganGeneratorAndCriticRunInBfloat16WithinRounding() {
        NetworkSpec spec = NetworkSpec.dcgan(16, List.of(3, 32, 32), 16);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Block g = GanModelZoo.generator(spec, m);
            Block d = GanModelZoo.discriminator(spec, m);
            NDArray z = m.randomNormal(GanModelZoo.latentShape(spec, 8));
            NDArray x32 = forward(g, z, Precision.FLOAT32);
            NDArray x16 = forward(g, z, Precision.BFLOAT16);
            assertPixelsClose(x16, x32);
            NDArray d32 = forward(d, x32, Precision.FLOAT32);
            NDArray d16 = forward(d, x32, Precision.BFLOAT16);
            float scale = d32.abs().max().getFloat();
            float critic = d16.sub(d32).abs().max().getFloat() / scale;
            System.out.printf("critic max |bf16 - f32| / max |f32| %.5f%n", critic);
            assertThat(critic).isLessThan(RELATIVE_BOUND).isGreaterThan(0f);
        }
    }

    @Test
    void cycleGanGeneratorRunsInBfloat16WithinRounding() {
        TranslatorSpec spec = new TranslatorSpec(3, 32, 8, 2, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            Block g = CycleGanNetworks.generator(spec, m);
            NDArray a = m.randomUniform(-1, 1, CycleGanNetworks.imageShape(spec, 4));
            assertPixelsClose(forward(g, a, Precision.BFLOAT16), forward(g, a, Precision.FLOAT32));
        }
    }

    private static NDArray forward(Block block, NDArray input, Precision precision) {
        try (MixedPrecision.Scope scope = MixedPrecision.use(precision)) {
            return block.forward(new ParameterStore(input.getManager(), false), new NDList(input), false).head();
        }
    }

    private static void assertPixelsClose(NDArray mixed, NDArray exact) {
        // freshly initialised generators answer small pixels, so the bound is relative to their scale
        float relative = mixed.sub(exact).abs().max().getFloat() / exact.abs().max().getFloat();
        System.out.printf("max |bf16 - f32| / max |f32| pixel %.5f%n", relative);
        assertThat(relative).as("max |bf16 - f32| / max |f32| pixel").isLessThan(RELATIVE_BOUND);
        assertThat(relative).as("the bfloat16 kernels must have run").isGreaterThan(0f);
    }
}
