package io.ganserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.gan.NetworkSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleRendererTest {

    /** Noise does not compress: the bound a job's disk price uses for its progress grids holds at its worst. */
    @Test
    void aGridOfNoiseStaysWithinItsPricedBound() {
        SampleRenderer renderer = new SampleRenderer(null, 2);
        for (List<Integer> shape : List.of(List.of(3, 64, 64), List.of(1, 28, 28))) {
            NetworkSpec spec = NetworkSpec.dcgan(100, shape, 64);
            int n = 64;
            float[] pixels = new float[n * shape.get(0) * shape.get(1) * shape.get(2)];
            Random random = new Random(7);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat();
            }
            byte[] png = renderer.gridPng(new Samples(null, 1, n, shape, pixels));
            long bound = renderer.gridPngBytesBound(spec, n);
            System.out.printf("grid of %d noise images %s: %,d bytes, bound %,d%n", n, shape, png.length, bound);
            assertThat((long) png.length).isLessThanOrEqualTo(bound);
            // deflate's worst case: tiles upscaled 2 x 2 compress to about a quarter of it (measured 22% for colour),
            // but a price must hold for any picture
            assertThat((long) png.length).isGreaterThan(bound / 8);
        }
    }
}
