package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The classifier's price against the network the constructor builds, at each size it supports. */
class SemiSupervisedNetworkTest {

    @ParameterizedTest(name = "{0} classes, width {1}, {2} x {3} x {3}")
    @CsvSource({"10, 32, 1, 28", "4, 8, 1, 28", "9, 16, 3, 32", "10, 8, 3, 64"})
    void itsPriceCountsEveryParameterAndAFullSizedForwardPass(int classes, int width, int channels, int side) {
        SemiSupervisedNetwork.Spec spec = new SemiSupervisedNetwork.Spec(classes, width, channels, side);
        SemiSupervisedNetwork.Cost cost = SemiSupervisedNetwork.cost(spec);
        try (NDManager m = NDManager.newBaseManager()) {
            SemiSupervisedNetwork network = SemiSupervisedNetwork.empty(spec, m);
            long parameters = 0;
            for (Pair<String, Parameter> p : network.block().getParameters()) {
                parameters += p.getValue().getArray().size();
                assertThat(p.getValue().getArray().abs().sum().getFloat()).as("empty: zeros, nothing drawn").isZero();
            }
            assertThat(cost.parameters()).isEqualTo(parameters);
            var x = m.zeros(new Shape(2, channels, side, side));
            var features = network.features(x, m, false);
            assertThat(network.logits(features, m, false).getShape()).isEqualTo(new Shape(2, classes));
            long firstConvolution = (long) width * (side / 2) * (side / 2);
            // the first convolution's output three times (convolution, LeakyReLU, dropout), the features, the logits
            assertThat(cost.activationsPerExample())
                    .isGreaterThan(3 * firstConvolution + features.getShape().get(1) + classes);
        }
    }
}
