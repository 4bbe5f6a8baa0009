package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * Mean and covariance of a set of feature vectors, the summary the Fréchet distance compares.
 * Kept in double: the distance subtracts traces of similar size, and float32 sums over 10,000
 * rows would leave errors of the order of the differences being measured.
 *
 * @param covariance symmetric, unbiased (divided by count − 1)
 * @param count number of feature vectors the statistics were estimated from
 */
public record FeatureStatistics(double[] mean, double[][] covariance, int count) {

    public FeatureStatistics {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(covariance, "covariance");
        if (covariance.length != mean.length) {
            throw new IllegalArgumentException("covariance has " + covariance.length + " rows for a mean of dimension "
                    + mean.length);
        }
        for (int i = 0; i < covariance.length; i++) {
            if (covariance[i] == null || covariance[i].length != mean.length) {
                throw new IllegalArgumentException("covariance row " + i + " must have " + mean.length + " entries");
            }
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be non-negative, got " + count);
        }
        mean = mean.clone();
        covariance = deepCopy(covariance);
    }

    /** Statistics of the rows of {@code features} (N × d, N ≥ 2), computed on the array's device in float64. */
    public static FeatureStatistics of(NDArray features) {
        Objects.requireNonNull(features, "features");
        PairwiseDistances.requireRows(features, "features");
        long dimension = features.getShape().get(1);
        // A float64 chunk of rows takes the room of two float32 ones.
        return of(features, PairwiseDistances.rowsPerChunk(2 * dimension));
    }

    static FeatureStatistics of(NDArray features, long rowsPerChunk) {
        PairwiseDistances.requireRows(features, "features");
        long rows = features.getShape().get(0);
        int dimension = Math.toIntExact(features.getShape().get(1));
        if (rows < 2) {
            throw new IllegalArgumentException("an unbiased covariance needs at least 2 rows, got " + rows);
        }
        try (NDManager scratch = features.getManager().newSubManager(features.getDevice())) {
            // Two passes, centring before the outer products: the one-pass Σxxᵀ − nμμᵀ cancels
            // catastrophically when the mean is large against the spread.
            NDArray sum = scratch.zeros(new Shape(dimension), DataType.FLOAT64);
            for (long from = 0; from < rows; from += rowsPerChunk) {
                try (NDManager chunk = scratch.newSubManager()) {
                    sum.addi(float64Rows(features, chunk, from, Math.min(rows, from + rowsPerChunk)).sum(new int[] {0}));
                }
            }
            NDArray mean = sum.divi(rows);
            NDArray scatter = scratch.zeros(new Shape(dimension, dimension), DataType.FLOAT64);
            for (long from = 0; from < rows; from += rowsPerChunk) {
                try (NDManager chunk = scratch.newSubManager()) {
                    NDArray centred = float64Rows(features, chunk, from, Math.min(rows, from + rowsPerChunk)).sub(mean);
                    scatter.addi(centred.transpose().matMul(centred));
                }
            }
            double[] flat = scatter.toDoubleArray();
            double[][] covariance = new double[dimension][dimension];
            for (int i = 0; i < dimension; i++) {
                for (int j = 0; j <= i; j++) {
                    // Averaging the two triangles removes the asymmetry that rounding in the matmul may leave.
                    double value = 0.5 * (flat[i * dimension + j] + flat[j * dimension + i]) / (rows - 1);
                    covariance[i][j] = value;
                    covariance[j][i] = value;
                }
            }
            return new FeatureStatistics(mean.toDoubleArray(), covariance, Math.toIntExact(rows));
        }
    }

    private static NDArray float64Rows(NDArray features, NDManager manager, long from, long to) {
        return PairwiseDistances.slice(features, manager, from, to).toType(DataType.FLOAT64, false);
    }

    public int dimension() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[][] covariance() {
        return deepCopy(covariance);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FeatureStatistics that
                && count == that.count
                && Arrays.equals(mean, that.mean)
                && Arrays.deepEquals(covariance, that.covariance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(mean), Arrays.deepHashCode(covariance), count);
    }

    @Override
    public String toString() {
        return "FeatureStatistics[dimension=" + mean.length + ", count=" + count + ", mean=" + Arrays.toString(mean) + "]";
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] copy = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }
}
