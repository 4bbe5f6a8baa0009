package io.ganserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.MultiplyAdds;
import io.ganserve.gan.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emoji bench's own arithmetic: the cost it reads the training rate by, and its category tally. */
class EmojiDcganBenchTest {

    @Test
    void aProjectionDiscriminatorCostsThePlainOnePlusItsClassEmbedding() {
        NetworkSpec plain = NetworkSpec.dcgan(100, List.of(3, 32, 32), 8);
        NetworkSpec conditional = plain.withClasses(9);
        try (NDManager m = NDManager.newBaseManager()) {
            long plainD = MultiplyAdds.forward(GanModelZoo.discriminator(plain, m), GanModelZoo.sampleShape(plain, 1));
            long conditionalD = EmojiDcganBench.discriminatorMultiplyAdds(
                    GanModelZoo.discriminator(conditional, m), conditional);
            // 32 px: 8 x 16 x 16, 16 x 8 x 8, 32 x 4 x 4 = 512 features; the embedding maps 9 classes onto them
            assertThat(conditionalD).isEqualTo(plainD + 9L * 32 * 4 * 4);
        }
    }

    @Test
    void categoryAccuracyIsTheDiagonalOverAllImages() {
        int[][] confusion = EmojiDcganBench.confusion(new int[] {0, 0, 1, 1, 2, 2}, new long[] {0, 1, 1, 1, 0, 2}, 3);
        assertThat(confusion).isDeepEqualTo(new int[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 1}});
        assertThat(EmojiDcganBench.accuracy(confusion)).isEqualTo(4.0 / 6);
        assertThatThrownBy(() -> EmojiDcganBench.confusion(new int[] {0}, new long[] {0, 1}, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
