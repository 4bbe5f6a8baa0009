package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EncoderNetworkTest {

    @ParameterizedTest
    @CsvSource({"1, 28, 100", "3, 32, 64", "3, 64, 16", "1, 16, 8"})
    void predictsOneLatentPerImageAndItsPriceCountsItsWeights(int channels, int side, int latent) {
        NetworkSpec spec = NetworkSpec.dcgan(latent, List.of(channels, side, side), 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block e = EncoderNetwork.create(spec, manager);
            NDList out = e.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(3, channels, side, side))), false);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(3, latent));
            long weights = e.getParameters().values().stream()
                    .filter(p -> !p.getName().contains("running")) // batch norm's statistics are state, not weights
                    .mapToLong(p -> p.getArray().size()).sum();
            long statistics = e.getParameters().values().stream()
                    .filter(p -> p.getName().contains("running"))
                    .mapToLong(p -> p.getArray().size()).sum();
            assertThat(EncoderNetwork.cost(spec).parameters()).isEqualTo(weights + statistics);
        }
    }

    @Test
    void refusesWhatItCannotInvert() {
        assertThat(EncoderNetwork.unsupportedReason(NetworkSpec.mlp(4, List.of(2), 32, 1))).contains("points");
        NetworkSpec images = NetworkSpec.dcgan(16, List.of(1, 28, 28), 16);
        assertThat(EncoderNetwork.unsupportedReason(images)).isNull();
        assertThat(EncoderNetwork.unsupportedReason(images.withClasses(10))).contains("conditional");
    }
}
