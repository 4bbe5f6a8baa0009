package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;

/**
 * Parzen-window log-likelihood, the protocol of the GAN paper's Table 1: an isotropic Gaussian
 * kernel of width σ on each generated sample sᵢ (N × d), so that
 * log p(x) = logmeanexp_i(−‖x − sᵢ‖² / 2σ²) − d·log(σ√(2π)); σ is chosen by the mean
 * log-likelihood of a validation set. The estimate is known to be poor in high dimensions and is
 * kept for comparison with the published numbers, not as a measure of sample quality.
 */
public final class ParzenWindow {

    private static final double LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private ParzenWindow() {
    }

    /**
     * @param mean mean log-likelihood of the test points, in nats
     * @param standardError std/√N over the test points, std as numpy's default (divided by N) like the
     *     paper's code
     */
    public record Result(double mean, double standardError, double sigma) {
    }

    /** The paper's candidates: 10 values log-spaced in [0.1, 1.0] (numpy.logspace(-1, 0, 10)). */
    public static double[] defaultSigmas() {
        return logSpaced(0.1, 1.0, 10);
    }

    /** {@code count} values from {@code low} to {@code high}, both included, evenly spaced in log. */
    public static double[] logSpaced(double low, double high, int count) {
        if (!(low > 0) || !(high >= low) || Double.isInfinite(high) || count < 1) {
            throw new IllegalArgumentException("need 0 < low ≤ high < ∞ and count ≥ 1, got " + low + ", " + high
                    + ", " + count);
        }
        double[] values = new double[count];
        double logLow = Math.log10(low);
        double logHigh = Math.log10(high);
        for (int i = 0; i < count; i++) {
            values[i] = count == 1 ? low : Math.pow(10, logLow + (logHigh - logLow) * i / (count - 1));
        }
        return values;
    }

    /** The whole protocol: σ from {@link #defaultSigmas()} by the validation set, then the test score. */
    public static Result evaluate(NDArray samples, NDArray validation, NDArray test) {
        return logLikelihood(samples, test, chooseSigma(samples, validation, defaultSigmas()));
    }

    /** The candidate with the highest mean validation log-likelihood; the first of equals. */
    public static double chooseSigma(NDArray samples, NDArray validation, double[] candidates) {
        double[][] perPoint = pointLogLikelihoods(samples, validation, candidates, 0);
        double best = Double.NaN;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < candidates.length; s++) {
            double mean = mean(perPoint[s]);
            if (mean > bestMean) {
                bestMean = mean;
                best = candidates[s];
            }
        }
        if (Double.isNaN(best)) {
            throw new IllegalArgumentException("no candidate σ gives a finite validation log-likelihood");
        }
        return best;
    }

    public static Result logLikelihood(NDArray samples, NDArray test, double sigma) {
        double[] perPoint = pointLogLikelihoods(samples, test, new double[] {sigma}, 0)[0];
        double mean = mean(perPoint);
        double variance = 0;
        for (double value : perPoint) {
            variance += (value - mean) * (value - mean);
        }
        double std = Math.sqrt(variance / perPoint.length);
        return new Result(mean, std / Math.sqrt(perPoint.length), sigma);
    }

    /**
     * log p(x) of every point under the window of every σ, as {@code [σ index][point index]}.
     * Squared distances are computed once per chunk of points, in float32 on the engine, and
     * shared by all σ. Each row is shifted by its smallest distance before the exponential (the
     * log-sum-exp trick): the terms are then in (0, 1] with the largest exactly 1, so float32
     * rounds them only relative to the distance differences, and the large part, the smallest
     * distance over 2σ² (thousands at σ = 0.1 in 784 dimensions), is added back in double.
     * {@code rowsPerChunk} ≤ 0 sizes chunks by the distance budget.
     */
    static double[][] pointLogLikelihoods(NDArray samples, NDArray points, double[] sigmas, long rowsPerChunk) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(sigmas, "sigmas");
        PairwiseDistances.requireRows(samples, "samples");
        PairwiseDistances.requireRows(points, "points");
        PairwiseDistances.requireSameWidth(samples, "samples", points, "points");
        if (sigmas.length == 0) {
            throw new IllegalArgumentException("no σ to evaluate");
        }
        for (double sigma : sigmas) {
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("σ must be positive and finite, got " + sigma);
            }
        }
        long sampleCount = samples.getShape().get(0);
        long pointCount = points.getShape().get(0);
        if (sampleCount < 1 || pointCount < 1) {
            throw new IllegalArgumentException("need at least one sample and one point, got " + sampleCount + " and "
                    + pointCount);
        }
        long dimension = samples.getShape().get(1);
        double[][] result = new double[sigmas.length][Math.toIntExact(pointCount)];
        try (NDManager scratch = samples.getManager().newSubManager(samples.getDevice())) {
            PairwiseDistances window = new PairwiseDistances(samples, scratch);
            long step = rowsPerChunk > 0 ? rowsPerChunk : window.rowsPerChunk();
            for (long from = 0; from < pointCount; from += step) {
                long to = Math.min(pointCount, from + step);
                try (NDManager chunk = scratch.newSubManager()) {
                    NDArray rows = PairwiseDistances.rows(points, chunk, from, to);
                    // ‖x − sᵢ‖² − ‖x‖²: the row constant ‖x‖² cancels in the shift below.
                    NDArray shifted = window.lessRowNormsFrom(rows);
                    NDArray rowMinimum = shifted.min(new int[] {1}, true);
                    shifted.subi(rowMinimum);
                    float[] minimumLessNorm = rowMinimum.toFloatArray();
                    float[] norms = PairwiseDistances.rowSquaredNorms(rows).toFloatArray();
                    for (int s = 0; s < sigmas.length; s++) {
                        double scale = -0.5 / (sigmas[s] * sigmas[s]);
                        float[] sums;
                        try (NDArray exponents = shifted.mul((float) scale); NDArray terms = exponents.exp()) {
                            sums = terms.sum(new int[] {1}).toFloatArray();
                        }
                        double normaliser = Math.log(sampleCount) + dimension * (Math.log(sigmas[s]) + LOG_SQRT_TWO_PI);
                        for (int i = 0; i < sums.length; i++) {
                            // Clamped: the expansion can round a zero distance slightly below zero.
                            double nearest = Math.max(0, (double) minimumLessNorm[i] + norms[i]);
                            result[s][Math.toIntExact(from) + i] = Math.log(sums[i]) + scale * nearest - normaliser;
                        }
                    }
                }
            }
        }
        return result;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }
}
