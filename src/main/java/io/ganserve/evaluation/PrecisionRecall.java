package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019). Each set's manifold is the union of
 * balls around its points, each ball's radius the distance to the point's k-th nearest neighbour
 * in its own set. Precision is the fraction of generated points inside the real manifold (sample
 * quality); recall the fraction of real points inside the generated manifold (coverage), so mode
 * collapse shows as high precision with low recall.
 */
public final class PrecisionRecall {

    /** The k of Kynkäänniemi et al.'s protocol. */
    public static final int DEFAULT_K = 3;

    private PrecisionRecall() {
    }

    public record Result(double precision, double recall) {
    }

    public static Result compute(NDArray realFeatures, NDArray fakeFeatures) {
        return compute(realFeatures, fakeFeatures, DEFAULT_K);
    }

    /**
     * @param realFeatures N × d, N > k
     * @param fakeFeatures M × d, M > k
     */
    public static Result compute(NDArray realFeatures, NDArray fakeFeatures, int k) {
        return compute(realFeatures, fakeFeatures, k, 0);
    }

    /** {@code rowsPerChunk} ≤ 0 sizes chunks by {@link PairwiseDistances#CHUNK_ELEMENTS}. */
    static Result compute(NDArray realFeatures, NDArray fakeFeatures, int k, long rowsPerChunk) {
        Objects.requireNonNull(realFeatures, "realFeatures");
        Objects.requireNonNull(fakeFeatures, "fakeFeatures");
        PairwiseDistances.requireRows(realFeatures, "realFeatures");
        PairwiseDistances.requireRows(fakeFeatures, "fakeFeatures");
        PairwiseDistances.requireSameWidth(realFeatures, "realFeatures", fakeFeatures, "fakeFeatures");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        for (NDArray set : new NDArray[] {realFeatures, fakeFeatures}) {
            if (set.getShape().get(0) <= k) {
                throw new IllegalArgumentException("each set needs more than k = " + k + " points, got shape "
                        + set.getShape());
            }
        }
        try (NDManager scratch = realFeatures.getManager().newSubManager(realFeatures.getDevice())) {
            PairwiseDistances real = new PairwiseDistances(realFeatures, scratch);
            PairwiseDistances fake = new PairwiseDistances(fakeFeatures, scratch);
            NDArray realRadii = squaredRadii(realFeatures, real, k, scratch, rowsPerChunk);
            NDArray fakeRadii = squaredRadii(fakeFeatures, fake, k, scratch, rowsPerChunk);
            double precision = fractionInside(fakeFeatures, real, realRadii, scratch, rowsPerChunk);
            double recall = fractionInside(realFeatures, fake, fakeRadii, scratch, rowsPerChunk);
            return new Result(precision, recall);
        }
    }

    /**
     * Squared k-NN radius of every point of the set, as a vector. Each point is its own nearest
     * neighbour at distance 0, so the k-th other neighbour is the (k+1)-th smallest distance.
     */
    private static NDArray squaredRadii(NDArray points, PairwiseDistances set, int k, NDManager scratch,
            long rowsPerChunk) {
        long n = set.size();
        long step = rowsPerChunk > 0 ? rowsPerChunk : set.rowsPerChunk();
        float[] radii = new float[Math.toIntExact(n)];
        for (long from = 0; from < n; from += step) {
            long to = Math.min(n, from + step);
            try (NDManager chunk = scratch.newSubManager()) {
                NDArray rows = PairwiseDistances.rows(points, chunk, from, to);
                // Leaving ‖x‖² out of the matrix keeps each row's order, so the k+1 smallest are the
                // same; unsorted, their largest is the radius, and skipping the sort is cheaper.
                NDArray kth = set.lessRowNormsFrom(rows).topK(k + 1, 1, false, false).get(0).max(new int[] {1});
                // Clamped: the expansion can round a zero distance (duplicates) slightly below zero.
                float[] values = kth.addi(PairwiseDistances.rowSquaredNorms(rows)).maximum(0f).toFloatArray();
                System.arraycopy(values, 0, radii, Math.toIntExact(from), values.length);
            }
        }
        return scratch.create(radii);
    }

    /** Fraction of {@code points} within the squared radius of at least one point of {@code manifold}. */
    private static double fractionInside(NDArray points, PairwiseDistances manifold, NDArray squaredRadii,
            NDManager scratch, long rowsPerChunk) {
        long n = points.getShape().get(0);
        long step = rowsPerChunk > 0 ? rowsPerChunk : manifold.rowsPerChunk();
        // x is inside some ball exactly when min_j (‖x − r_j‖² − radius_j²) ≤ 0: squared on both
        // sides, so no square roots, and both sides come from the same float32 formula.
        PairwiseDistances lessRadii = manifold.lessOffsets(squaredRadii);
        long inside = 0;
        for (long from = 0; from < n; from += step) {
            long to = Math.min(n, from + step);
            try (NDManager chunk = scratch.newSubManager()) {
                NDArray rows = PairwiseDistances.rows(points, chunk, from, to);
                NDArray margin = lessRadii.lessRowNormsFrom(rows).min(new int[] {1})
                        .addi(PairwiseDistances.rowSquaredNorms(rows));
                inside += margin.lte(0f).countNonzero().getLong();
            }
        }
        return (double) inside / n;
    }
}
