package io.ganserve.training.cyclegan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImagePoolTest {

    /** n images of one float each, valued from {@code first}. */
    private static float[] batch(int first, int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = first + i;
        }
        return b;
    }

    @Test
    void fillsFirstThenServesOlderImagesAboutHalfTheTime() {
        ImagePool pool = new ImagePool(10, 1);
        assertThat(pool.query(batch(0, 10), 10, new Random(1))).containsExactly(batch(0, 10)); // filling: as is
        assertThat(pool.size()).isEqualTo(10);
        int older = 0;
        Set<Float> seen = new HashSet<>();
        for (int step = 1; step <= 100; step++) {
            float[] out = pool.query(batch(step * 10, 10), 10, new Random(step));
            for (int i = 0; i < 10; i++) {
                seen.add(out[i]);
                if (out[i] < step * 10) {
                    older++;
                }
            }
        }
        assertThat(older).isBetween(400, 600); // of 1,000: a fair coin
        assertThat(pool.size()).isEqualTo(10);
        assertThat(seen).contains(0f); // an image from the very first batch came back later
    }

    @Test
    void aSavedPoolAnswersAsTheOriginalDoes() throws IOException {
        ImagePool original = new ImagePool(5, 2);
        original.query(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, new Random(3));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.save(new DataOutputStream(bytes));
        ImagePool copy = new ImagePool(5, 2);
        copy.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] next = {20, 21, 22, 23, 24, 25, 26, 27, 28, 29};
        assertThat(copy.query(next, 5, new Random(9))).containsExactly(original.query(next, 5, new Random(9)));
    }
}
