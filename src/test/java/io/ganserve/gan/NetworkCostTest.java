package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cost worked out from a spec holds to the networks that spec builds. */
class NetworkCostTest {

    static Stream<Arguments> specs() {
        return Stream.of(
                spec("mlp ring", NetworkSpec.mlp(8, List.of(2), 64, 3)),
                spec("mlp image packed SN", NetworkSpec.mlp(16, List.of(1, 28, 28), 128, 2).withPack(2).withSpectralNorm(true)),
                spec("mlp conditional", NetworkSpec.mlp(16, List.of(1, 28, 28), 64, 2).withClasses(10)),
                spec("mlp infogan", NetworkSpec.mlp(4, List.of(2), 32, 2).withCodes(new LatentCodes(8, 2))),
                spec("dcgan 28", NetworkSpec.dcgan(100, List.of(1, 28, 28), 16)),
                spec("dcgan 32 rgb", NetworkSpec.dcgan(64, List.of(3, 32, 32), 8)),
                spec("dcgan 64 SN pack 2", NetworkSpec.dcgan(32, List.of(3, 64, 64), 8).withPack(2).withSpectralNorm(true)),
                spec("dcgan 28 conditional", NetworkSpec.dcgan(32, List.of(1, 28, 28), 8).withClasses(10)),
                spec("dcgan 28 conditional SN", NetworkSpec.dcgan(32, List.of(1, 28, 28), 8).withSpectralNorm(true).withClasses(10)),
                spec("dcgan 28 infogan", NetworkSpec.dcgan(62, List.of(1, 28, 28), 8).withCodes(new LatentCodes(10, 2))));
    }

    private static Arguments spec(String name, NetworkSpec spec) {
        return Arguments.of(name, spec);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void parametersAreCountedExactly(String name, NetworkSpec spec) {
        NetworkCost cost = NetworkCost.of(spec);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(cost.generatorParameters()).as("G").isEqualTo(count(GanModelZoo.generator(spec, m)));
            assertThat(cost.discriminatorParameters()).as("D").isEqualTo(count(GanModelZoo.discriminator(spec, m)));
        }
    }

    /**
     * Forward passes of 4 and 12 samples, with every array they leave measured: the difference is
     * what each sample costs (the rest, the kernels' rearranged copies, is per pass and priced with
     * the parameters). The estimate must cover it (it prices admission) without being more than
     * twice it (it would refuse work that fits).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void generatorActivationsCoverWhatAForwardPassLeaves(String name, NetworkSpec spec) {
        NetworkCost cost = NetworkCost.of(spec);
        try (NDManager m = NDManager.newBaseManager()) {
            Block g = GanModelZoo.generator(spec, m);
            double perSample = (floatsLeft(g, spec, m, 12) - floatsLeft(g, spec, m, 4)) / 8.0;
            long perPass = floatsLeft(g, spec, m, 4) - Math.round(4 * perSample);
            assertThat((double) cost.generatorActivations()).as("G floats per sample, measured %.0f", perSample)
                    .isGreaterThanOrEqualTo(perSample)
                    .isLessThanOrEqualTo(perSample * 2);
            assertThat(perPass).as("floats per pass beside the samples' ").isLessThanOrEqualTo(NetworkCost.PASS_COPIES * cost.generatorParameters());
        }
    }

    private static long floatsLeft(Block g, NetworkSpec spec, NDManager m, int batch) {
        JniUtils.setGradMode(false);
        try (NDManager pass = m.newSubManager()) {
            NDArray z = pass.randomNormal(GanModelZoo.latentShape(spec, batch));
            g.forward(new ParameterStore(pass, false), new NDList(z), false);
            return pass.getManagedArrays().stream()
                    .filter(a -> a instanceof NDArray)
                    .mapToLong(a -> ((NDArray) a).size()).sum() - z.size();
        }
    }

    private static long count(Block block) {
        return block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
