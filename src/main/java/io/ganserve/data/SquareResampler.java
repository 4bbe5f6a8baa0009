package io.ganserve.data;

/**
 * Resizes a square window of an 8-bit plane to a square of another side. Shrinking averages the
 * covered area (so fine detail does not alias as it would with point sampling); enlarging is
 * bilinear with pixel centres aligned. The filter taps depend only on the two sides, so one
 * instance serves every channel of every image of that source size.
 */
final class SquareResampler {

    private final int sourceSide;
    private final int targetSide;
    private final int[][] taps;
    private final float[][] weights;

    SquareResampler(int sourceSide, int targetSide) {
        if (sourceSide <= 0 || targetSide <= 0) {
            throw new IllegalArgumentException("sides must be positive: " + sourceSide + " -> " + targetSide);
        }
        this.sourceSide = sourceSide;
        this.targetSide = targetSide;
        this.taps = new int[targetSide][];
        this.weights = new float[targetSide][];
        if (targetSide < sourceSide) {
            buildAreaTaps();
        } else {
            buildBilinearTaps();
        }
    }

    int sourceSide() {
        return sourceSide;
    }

    int targetSide() {
        return targetSide;
    }

    /**
     * Reads the {@code sourceSide}-square window whose top-left byte is {@code src[srcOffset]}
     * in a plane whose rows are {@code rowStride} bytes apart; writes {@code targetSide^2} bytes.
     */
    void resample(byte[] src, int srcOffset, int rowStride, byte[] dst, int dstOffset) {
        // Separable filter: rows first into a float buffer, then columns, rounding only once.
        float[] rowsDone = new float[sourceSide * targetSide];
        for (int y = 0; y < sourceSide; y++) {
            int rowStart = srcOffset + y * rowStride;
            for (int x = 0; x < targetSide; x++) {
                float sum = 0;
                int[] xs = taps[x];
                float[] ws = weights[x];
                for (int t = 0; t < xs.length; t++) {
                    sum += ws[t] * (src[rowStart + xs[t]] & 0xFF);
                }
                rowsDone[y * targetSide + x] = sum;
            }
        }
        for (int y = 0; y < targetSide; y++) {
            int[] ys = taps[y];
            float[] ws = weights[y];
            for (int x = 0; x < targetSide; x++) {
                float sum = 0;
                for (int t = 0; t < ys.length; t++) {
                    sum += ws[t] * rowsDone[ys[t] * targetSide + x];
                }
                dst[dstOffset + y * targetSide + x] = (byte) Math.clamp(Math.round(sum), 0, 255);
            }
        }
    }

    private void buildAreaTaps() {
        double scale = (double) sourceSide / targetSide;
        for (int j = 0; j < targetSide; j++) {
            double start = j * scale;
            double end = Math.min((j + 1) * scale, sourceSide);
            int first = (int) Math.floor(start);
            int last = Math.min((int) Math.ceil(end), sourceSide) - 1;
            int[] xs = new int[last - first + 1];
            float[] ws = new float[xs.length];
            for (int i = first; i <= last; i++) {
                double overlap = Math.min(end, i + 1) - Math.max(start, i);
                xs[i - first] = i;
                ws[i - first] = (float) (Math.max(overlap, 0) / scale);
            }
            taps[j] = xs;
            weights[j] = ws;
        }
    }

    private void buildBilinearTaps() {
        double scale = (double) sourceSide / targetSide;
        for (int j = 0; j < targetSide; j++) {
            double position = Math.max((j + 0.5) * scale - 0.5, 0);
            int left = Math.min((int) Math.floor(position), sourceSide - 1);
            int right = Math.min(left + 1, sourceSide - 1);
            float fraction = (float) (position - left);
            if (right == left) {
                fraction = 0;
            }
            taps[j] = new int[] {left, right};
            weights[j] = new float[] {1 - fraction, fraction};
        }
    }
}
