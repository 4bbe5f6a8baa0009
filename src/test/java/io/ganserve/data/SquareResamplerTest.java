package io.ganserve.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SquareResamplerTest {

    private static int[] unsigned(byte[] bytes) {
        int[] values = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] & 0xFF;
        }
        return values;
    }

    @Test
    void sameSizeIsIdentity() {
        byte[] source = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        byte[] target = new byte[9];

        new SquareResampler(3, 3).resample(source, 0, 3, target, 0);

        assertThat(target).isEqualTo(source);
    }

    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        byte[] source = {
            0, 100, 10, 10,
            (byte) 200, 100, 10, 10,
            50, 50, (byte) 255, 0,
            50, 50, 0, (byte) 255};
        byte[] target = new byte[4];

        new SquareResampler(4, 2).resample(source, 0, 4, target, 0);

        assertThat(unsigned(target)).containsExactly(100, 10, 50, 128);
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentres() {
        byte[] source = {0, 100, 0, 100};
        byte[] target = new byte[16];

        new SquareResampler(2, 4).resample(source, 0, 2, target, 0);

        assertThat(unsigned(target)).startsWith(0, 25, 75, 100);
    }

    @Test
    void readsAWindowOfAWiderPlane() {
        byte[] plane = {9, 9, 1, 2, 9, 9, 3, 4};
        byte[] target = new byte[4];

        new SquareResampler(2, 2).resample(plane, 2, 4, target, 0);

        assertThat(target).containsExactly(1, 2, 3, 4);
    }
}
