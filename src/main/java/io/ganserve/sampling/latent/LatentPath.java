package io.ganserve.sampling.latent;

import java.util.Objects;

/**
 * Interpolation between latent vectors. Slerp is the default for Gaussian latents: in high dimensions
 * samples concentrate near a sphere of radius ~sqrt(d), and the straight line between two of them dips
 * through low-norm regions the generator rarely saw in training, whereas the great-circle arc keeps the norm.
 */
public final class LatentPath {

    /** Below this |sin(angle)| the slerp weights are 0/0-unstable, and the arc equals the chord anyway. */
    static final double MIN_SIN = 1e-6;

    public enum Method { SLERP, LERP }

    private LatentPath() {
    }

    /** {@code (1 - t) * a + t * b}, computed in double. */
    public static float[] lerp(float[] a, float[] b, double t) {
        requirePair(a, b);
        requireFinite(t);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            // this form (not a + t*(b-a)) gives exactly a at t = 0 and exactly b at t = 1
            out[i] = (float) ((1 - t) * a[i] + t * b[i]);
        }
        return out;
    }

    /**
     * Spherical interpolation along the angle between {@code a} and {@code b}; with equal norms the result
     * keeps that norm. Parallel, antiparallel or zero vectors have no well-defined arc, so they fall back to lerp.
     */
    public static float[] slerp(float[] a, float[] b, double t) {
        requirePair(a, b);
        requireFinite(t);
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        double denominator = Math.sqrt(normA) * Math.sqrt(normB);
        if (!(denominator > 0)) {
            return lerp(a, b, t);
        }
        double cos = Math.max(-1.0, Math.min(1.0, dot / denominator));
        double omega = Math.acos(cos);
        double sin = Math.sin(omega);
        if (Math.abs(sin) < MIN_SIN) {
            return lerp(a, b, t);
        }
        double wa = Math.sin((1 - t) * omega) / sin;
        double wb = Math.sin(t * omega) / sin;
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }

    /**
     * {@code steps} points at {@code t = i / (steps - 1)}. The endpoints are copies of {@code a} and
     * {@code b} themselves, so a path always starts and ends on the exact latents the caller chose.
     */
    public static float[][] path(float[] a, float[] b, int steps, Method method) {
        requirePair(a, b);
        Objects.requireNonNull(method, "method");
        if (steps < 2) {
            throw new IllegalArgumentException("steps must be >= 2, got " + steps);
        }
        float[][] points = new float[steps][];
        points[0] = a.clone();
        points[steps - 1] = b.clone();
        for (int i = 1; i < steps - 1; i++) {
            double t = (double) i / (steps - 1);
            points[i] = switch (method) {
                case SLERP -> slerp(a, b, t);
                case LERP -> lerp(a, b, t);
            };
        }
        return points;
    }

    private static void requirePair(float[] a, float[] b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.length == 0 || a.length != b.length) {
            throw new IllegalArgumentException(
                    "latents must be non-empty and of equal length, got %d and %d".formatted(a.length, b.length));
        }
    }

    private static void requireFinite(double t) {
        if (!Double.isFinite(t)) {
            throw new IllegalArgumentException("t must be finite, got " + t);
        }
    }
}
