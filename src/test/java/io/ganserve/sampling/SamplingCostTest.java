package io.ganserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.gan.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingCostTest {

    private static final NetworkSpec DCGAN_64 = NetworkSpec.dcgan(100, List.of(3, 64, 64), 64);

    @Test
    void aPassFitsTheRoomItIsGivenInChunksOfAtMost64() {
        long full = SamplingCost.nativeBytes(DCGAN_64, 1024);
        assertThat(SamplingCost.chunkFitting(DCGAN_64, full)).isEqualTo(GeneratorSnapshot.CHUNK);
        assertThat(SamplingCost.chunkFitting(DCGAN_64, 100 * full)).isEqualTo(GeneratorSnapshot.CHUNK);

        long room = full / 3;
        int chunk = SamplingCost.chunkFitting(DCGAN_64, room);
        assertThat(chunk).isBetween(2, GeneratorSnapshot.CHUNK - 1);
        assertThat(SamplingCost.nativeBytes(DCGAN_64, 1024, chunk)).isLessThanOrEqualTo(room);
        assertThat(SamplingCost.nativeBytes(DCGAN_64, 1024, chunk + 1)).isGreaterThan(room);
        // a request smaller than a chunk is priced for what it runs
        assertThat(SamplingCost.nativeBytes(DCGAN_64, 1, chunk)).isLessThan(SamplingCost.nativeBytes(DCGAN_64, 2, chunk));
    }

    @Test
    void whenNotEvenOneSampleFitsTheChunkIsOneAndItsPriceSaysSo() {
        long tiny = SamplingCost.nativeBytes(DCGAN_64, 1, 1) - 1;
        assertThat(SamplingCost.chunkFitting(DCGAN_64, tiny)).isEqualTo(1);
        assertThat(SamplingCost.nativeBytes(DCGAN_64, 1024, 1)).isGreaterThan(tiny);
    }
}
