package io.ganserve.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * An equal-weight mixture of isotropic 2-D Gaussians, the synthetic benchmark used to measure
 * mode collapse. A final class rather than a record because it owns arrays: a record would
 * compare and hash them by identity.
 */
public final class GaussianMixture {

    private final String name;
    private final double[][] modes;
    private final double std;

    public GaussianMixture(String name, double[][] modes, double std) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modes, "modes");
        if (modes.length == 0) {
            throw new IllegalArgumentException("a mixture needs at least one mode");
        }
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("std must be positive and finite, was " + std);
        }
        double[][] copy = new double[modes.length][];
        for (int i = 0; i < modes.length; i++) {
            if (modes[i] == null || modes[i].length != 2) {
                throw new IllegalArgumentException("mode " + i + " must have exactly 2 coordinates");
            }
            copy[i] = modes[i].clone();
        }
        this.name = name;
        this.modes = copy;
        this.std = std;
    }

    /** Eight modes on the unit circle. Angles are 2*pi*k/8 so that k=0 and k=7 stay distinct. */
    public static GaussianMixture ring8() {
        int count = 8;
        double[][] modes = new double[count][];
        for (int k = 0; k < count; k++) {
            double angle = 2 * Math.PI * k / count;
            modes[k] = new double[] {Math.cos(angle), Math.sin(angle)};
        }
        return new GaussianMixture("ring8", modes, 0.01);
    }

    /** Twenty-five modes on the grid {-4, -2, 0, 2, 4}^2. */
    public static GaussianMixture grid25() {
        double[][] modes = new double[25][];
        int k = 0;
        for (int ix = -2; ix <= 2; ix++) {
            for (int iy = -2; iy <= 2; iy++) {
                modes[k++] = new double[] {2.0 * ix, 2.0 * iy};
            }
        }
        return new GaussianMixture("grid25", modes, 0.05);
    }

    public String name() {
        return name;
    }

    /** A deep copy of the mode centres. */
    public double[][] modes() {
        double[][] copy = new double[modes.length][];
        for (int i = 0; i < modes.length; i++) {
            copy[i] = modes[i].clone();
        }
        return copy;
    }

    public double[] mode(int index) {
        return modes[index].clone();
    }

    public int modeCount() {
        return modes.length;
    }

    public double std() {
        return std;
    }

    /** Draws {@code n} points, each from a uniformly chosen mode. */
    public float[][] sample(int n, Random rng) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        Objects.requireNonNull(rng, "rng");
        float[][] points = new float[n][2];
        for (int i = 0; i < n; i++) {
            drawInto(rng, points[i], 0);
        }
        return points;
    }

    /**
     * Writes one point at {@code dst[offset]}, {@code dst[offset + 1]} and returns the mode it was
     * drawn from, so datasets can keep that mode as the label.
     */
    int drawInto(Random rng, float[] dst, int offset) {
        int mode = rng.nextInt(modes.length);
        dst[offset] = (float) (modes[mode][0] + std * rng.nextGaussian());
        dst[offset + 1] = (float) (modes[mode][1] + std * rng.nextGaussian());
        return mode;
    }

    public int nearestMode(double x, double y) {
        int best = 0;
        double bestSquared = Double.POSITIVE_INFINITY;
        for (int i = 0; i < modes.length; i++) {
            double squared = squaredDistance(i, x, y);
            if (squared < bestSquared) {
                bestSquared = squared;
                best = i;
            }
        }
        return best;
    }

    public double distanceToMode(int mode, double x, double y) {
        return Math.sqrt(squaredDistance(mode, x, y));
    }

    public double distanceToNearest(double x, double y) {
        return distanceToMode(nearestMode(x, y), x, y);
    }

    private double squaredDistance(int mode, double x, double y) {
        double dx = x - modes[mode][0];
        double dy = y - modes[mode][1];
        return dx * dx + dy * dy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GaussianMixture that
                && name.equals(that.name)
                && Double.compare(std, that.std) == 0
                && Arrays.deepEquals(modes, that.modes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, std, Arrays.deepHashCode(modes));
    }

    @Override
    public String toString() {
        return "GaussianMixture[" + name + ", " + modes.length + " modes, std=" + std + "]";
    }
}
