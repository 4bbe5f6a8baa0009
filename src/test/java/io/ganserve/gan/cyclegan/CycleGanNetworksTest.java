package io.ganserve.gan.cyclegan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.ganserve.gan.MultiplyAdds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CycleGanNetworksTest {

    @BeforeAll
    static void engine() {
        Engine.getInstance();
    }

    private static NDArray forward(Block block, NDArray x, NDManager m) {
        return block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64})
    void generatorsKeepTheImageShapeAndCriticsJudgeSixBySixPatches(int side) {
        TranslatorSpec spec = new TranslatorSpec(3, side, 8, 2, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(2, 3, side, side));
            NDArray y = forward(CycleGanNetworks.generator(spec, m), x, m);
            assertThat(y.getShape()).isEqualTo(new Shape(2, 3, side, side));
            assertThat(y.abs().max().getFloat()).isLessThanOrEqualTo(1f); // tanh: the images' range
            assertThat(forward(CycleGanNetworks.critic(spec, m), x, m).getShape()).isEqualTo(new Shape(2, 1, 6, 6));
        }
    }

    @Test
    void instanceNormGivesEachImageChannelMeanZeroAndVarianceOneWhateverTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(3f, 2f, new Shape(4, 2, 5, 5), ai.djl.ndarray.types.DataType.FLOAT32);
            InstanceNorm norm = new InstanceNorm();
            NDArray y = forward(norm, x, m).reshape(4, 2, 25);
            float[] means = y.mean(new int[] {2}).toFloatArray();
            float[] variances = y.sub(y.mean(new int[] {2}, true)).square().mean(new int[] {2}).toFloatArray();
            for (int i = 0; i < means.length; i++) {
                assertThat(means[i]).isCloseTo(0f, within(1e-4f));
                assertThat(variances[i]).isCloseTo(1f, within(1e-3f));
            }
            // one image alone comes out as it does inside the batch: serving translates one upload at a time
            NDArray alone = forward(norm, x.get("1:2"), m).reshape(1, 2, 25);
            assertThat(alone.toFloatArray()).containsExactly(y.get("1:2").toFloatArray(), within(1e-6f));
        }
    }

    @Test
    void theCostCountsEveryWeightAndTheResidualBlocksWork() {
        TranslatorSpec none = new TranslatorSpec(3, 32, 8, 0, 8);
        TranslatorSpec four = new TranslatorSpec(3, 32, 8, 4, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            Block g = CycleGanNetworks.generator(four, m);
            long weights = g.getParameters().values().stream().mapToLong(p -> p.getArray().getShape().size()).sum();
            TranslatorCost cost = TranslatorCost.of(four);
            assertThat(cost.generatorParameters()).isEqualTo(weights);
            // each residual block: two 3x3 convolutions of 32 -> 32 maps (4 x 8 filters) at 8 x 8, no bias
            long perBlock = 2L * 32 * 32 * 9;
            assertThat(cost.generatorParameters() - TranslatorCost.of(none).generatorParameters()).isEqualTo(4 * perBlock);
            assertThat(cost.generatorMultiplyAdds() - TranslatorCost.of(none).generatorMultiplyAdds())
                    .isEqualTo(4 * perBlock * 8 * 8);
            assertThat(MultiplyAdds.forward(g, CycleGanNetworks.imageShape(four, 1)))
                    .isEqualTo(cost.generatorMultiplyAdds());
            assertThat(cost.generatorActivations()).isGreaterThan(3L * 32 * 32); // at least the output image
        }
    }
}
