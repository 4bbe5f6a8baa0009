package io.ganserve.training;

import java.util.Arrays;

/** How well latent codes line up with classes, and how monotonically a swept code moves an image. */
final class CodeMeasures {

    private CodeMeasures() {}

    /** The best assignment of code values to distinct classes (exact, over subsets of classes), as a share. */
    static double bestOneToOneAccuracy(int[][] counts) {
        int values = counts.length;
        int classes = counts[0].length;
        if (values > classes) {
            throw new IllegalArgumentException(values + " code values cannot map one-to-one onto " + classes + " classes");
        }
        int[] best = new int[1 << classes];
        Arrays.fill(best, -1);
        best[0] = 0;
        int total = 0;
        for (int[] row : counts) {
            total += Arrays.stream(row).sum();
        }
        // best[mask] after v values: the most samples matched using exactly the classes in mask
        for (int v = 0; v < values; v++) {
            int[] next = new int[1 << classes];
            Arrays.fill(next, -1);
            for (int mask = 0; mask < best.length; mask++) {
                if (best[mask] < 0 || Integer.bitCount(mask) != v) {
                    continue;
                }
                for (int k = 0; k < classes; k++) {
                    if ((mask & (1 << k)) == 0) {
                        next[mask | (1 << k)] = Math.max(next[mask | (1 << k)], best[mask] + counts[v][k]);
                    }
                }
            }
            best = next;
        }
        return (double) Arrays.stream(best).max().orElse(0) / total;
    }

    static double majorityPurity(int[][] counts) {
        int total = 0;
        int majority = 0;
        for (int[] row : counts) {
            total += Arrays.stream(row).sum();
            majority += Arrays.stream(row).max().orElse(0);
        }
        return (double) majority / total;
    }

    /** What a continuous code may control in a 1-channel image of pixels in [−1, 1]. */
    enum ImageStatistic {
        BRIGHTNESS, VERTICAL_CENTROID, HORIZONTAL_SPREAD;

        double of(float[] pixels, int offset, int side) {
            double mass = 0;
            double row = 0;
            double column = 0;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double ink = (pixels[offset + y * side + x] + 1) / 2;
                    mass += ink;
                    row += ink * y;
                    column += ink * x;
                }
            }
            if (this == BRIGHTNESS) {
                return mass;
            }
            double safe = Math.max(mass, 1e-6);
            if (this == VERTICAL_CENTROID) {
                return row / safe;
            }
            double centre = column / safe;
            double spread = 0;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double ink = (pixels[offset + y * side + x] + 1) / 2;
                    spread += ink * (x - centre) * (x - centre);
                }
            }
            return Math.sqrt(spread / safe);
        }
    }

    /** Spearman's ρ between the values and their positions 0..n−1 (ties broken by position). */
    static double spearmanWithOrder(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double squared = 0;
        for (int rank = 0; rank < n; rank++) {
            double d = rank - order[rank];
            squared += d * d;
        }
        return 1 - 6 * squared / (n * ((double) n * n - 1));
    }
}
