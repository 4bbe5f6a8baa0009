package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GanModelZooTest {

    static NetworkSpec spec(String architecture, int size, int channels) {
        List<Integer> shape = size == 0 ? List.of(2) : List.of(channels, size, size);
        return Architecture.of(architecture) == Architecture.MLP
                ? NetworkSpec.mlp(8, shape, 16, 2)
                : NetworkSpec.dcgan(8, shape, 8);
    }

    @ParameterizedTest
    @CsvSource({"mlp, 0, 0", "mlp, 28, 1", "dcgan, 28, 1", "dcgan, 32, 3", "dcgan, 64, 1"})
    void generatorsMakeTheDataShapeAndDiscriminatorsOneLogit(String architecture, int size, int channels) {
        NetworkSpec spec = spec(architecture, size, channels);
        try (NDManager m = NDManager.newBaseManager()) {
            Block g = GanModelZoo.generator(spec, m);
            Block d = GanModelZoo.discriminator(spec, m);
            NDArray z = m.randomNormal(GanModelZoo.latentShape(spec, 3));
            NDArray x = g.forward(new ParameterStore(m, false), new NDList(z), false).head();
            assertThat(x.getShape()).isEqualTo(GanModelZoo.sampleShape(spec, 3));
            NDArray logits = d.forward(new ParameterStore(m, false), new NDList(x), false).head();
            assertThat(logits.getShape().size()).isEqualTo(3);
            if (spec.isImage()) {
                assertThat(x.max().getFloat()).isLessThanOrEqualTo(1f);
                assertThat(x.min().getFloat()).isGreaterThanOrEqualTo(-1f);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"mlp, 0, 0", "dcgan, 28, 1", "dcgan, 32, 3"})
    void savedGeneratorsLoadIntoEmptyOnesAndComputeTheSame(String architecture, int size, int channels) throws Exception {
        NetworkSpec spec = spec(architecture, size, channels);
        try (NDManager m = NDManager.newBaseManager()) {
            Block trained = GanModelZoo.generator(spec, m);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.saveParameters(new DataOutputStream(bytes));
            Block loaded = GanModelZoo.emptyGenerator(spec, m);
            loaded.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDArray z = m.randomNormal(GanModelZoo.latentShape(spec, 4));
            float[] a = trained.forward(new ParameterStore(m, false), new NDList(z), false).head().toFloatArray();
            float[] b = loaded.forward(new ParameterStore(m, false), new NDList(z), false).head().toFloatArray();
            assertThat(b).containsExactly(a);
        }
    }

    @ParameterizedTest
    @CsvSource({"dcgan, 28, 1, 7.2", "mlp, 0, 0, 0.0"})
    void multiplyAddsOfTheDefaultDcganMatchAHandCount(String architecture, int size, int channels, double ignored) {
        List<Integer> shape = size == 0 ? List.of(2) : List.of(channels, size, size);
        NetworkSpec spec = Architecture.of(architecture) == Architecture.MLP
                ? NetworkSpec.mlp(100, shape, 128, 3)
                : NetworkSpec.dcgan(100, shape, 64);
        try (NDManager m = NDManager.newBaseManager()) {
            long g = MultiplyAdds.forward(GanModelZoo.generator(spec, m), GanModelZoo.latentShape(spec, 1));
            long d = MultiplyAdds.forward(GanModelZoo.discriminator(spec, m), GanModelZoo.sampleShape(spec, 1));
            if (spec.isImage()) {
                // G: 100·6272 + 128·64·16·7·7 + 64·1·16·14·14; D: 64·16·14·14 + 128·64·16·7·7 + 6272
                assertThat(g).isEqualTo(100L * 6272 + 128L * 64 * 16 * 49 + 64L * 16 * 196);
                assertThat(d).isEqualTo(64L * 16 * 196 + 128L * 64 * 16 * 49 + 6272);
            } else {
                assertThat(g).isEqualTo(100L * 128 + 128 * 128 * 2 + 128 * 2);
                assertThat(d).isEqualTo(2L * 128 + 128 * 128 * 2 + 128);
            }
        }
    }
}
