package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * Inception score exp(E_x KL(p(y|x) ‖ p(y))) of class probabilities from a classifier (Salimans
 * et al. 2016), with p(y) the mean of the rows. It is high when each sample is confidently one
 * class and the classes are evenly used: between 1 and the number of classes. Offline there are
 * no Inception weights, so the classifier is one trained on the dataset itself and the score
 * compares only within that classifier.
 */
public final class InceptionScore {

    /** The number of splits of the original paper's code. */
    public static final int DEFAULT_SPLITS = 10;

    // Rows from a float32 softmax sum to 1 only to rounding; anything further off is not a distribution.
    private static final double ROW_SUM_TOLERANCE = 1e-3;

    private InceptionScore() {
    }

    /**
     * @param std population standard deviation over the splits (numpy's default), as the original code
     */
    public record Score(double mean, double std) {
    }

    /** The score of all rows together. */
    public static double of(NDArray probabilities) {
        Objects.requireNonNull(probabilities, "probabilities");
        PairwiseDistances.requireRows(probabilities, "probabilities");
        long rows = probabilities.getShape().get(0);
        if (rows < 1) {
            throw new IllegalArgumentException("no rows to score");
        }
        try (NDManager scratch = probabilities.getManager().newSubManager(probabilities.getDevice())) {
            return score(probabilities, scratch, 0, rows);
        }
    }

    /**
     * The original paper's protocol: the score of each of {@code splits} contiguous parts, each with
     * its own marginal p(y), then their mean and standard deviation.
     */
    public static Score of(NDArray probabilities, int splits) {
        Objects.requireNonNull(probabilities, "probabilities");
        PairwiseDistances.requireRows(probabilities, "probabilities");
        long rows = probabilities.getShape().get(0);
        if (splits < 1 || splits > rows) {
            throw new IllegalArgumentException("splits must be in [1, " + rows + "], got " + splits);
        }
        double[] scores = new double[splits];
        try (NDManager scratch = probabilities.getManager().newSubManager(probabilities.getDevice())) {
            for (int i = 0; i < splits; i++) {
                // Same boundaries as the original code: i·N/splits, which spreads the remainder.
                long from = i * rows / splits;
                long to = (i + 1) * rows / splits;
                try (NDManager split = scratch.newSubManager()) {
                    scores[i] = score(probabilities, split, from, to);
                }
            }
        }
        double mean = 0;
        for (double score : scores) {
            mean += score;
        }
        mean /= splits;
        double variance = 0;
        for (double score : scores) {
            variance += (score - mean) * (score - mean);
        }
        return new Score(mean, Math.sqrt(variance / splits));
    }

    private static double score(NDArray probabilities, NDManager manager, long from, long to) {
        // float64: the KL terms of confident rows are differences of nearly equal logs.
        NDArray p = PairwiseDistances.slice(probabilities, manager, from, to).toType(DataType.FLOAT64, false);
        requireDistributions(p, from);
        NDArray marginal = p.mean(new int[] {0}, true);
        // xlogy(p, q) is p·log q with 0·log 0 = 0, the limit that KL's definition takes.
        NDArray kl = p.xlogy(p).sub(p.xlogy(marginal)).sum(new int[] {1});
        return Math.exp(kl.mean().getDouble());
    }

    private static void requireDistributions(NDArray p, long offset) {
        double smallest = p.min().getDouble();
        if (!(smallest >= 0)) {
            throw new IllegalArgumentException("probabilities must be non-negative and finite, found " + smallest);
        }
        NDArray sums = p.sum(new int[] {1});
        long worst = sums.sub(1).abs().argMax().getLong();
        double sum = sums.getDouble(worst);
        if (!(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) {
            throw new IllegalArgumentException("row " + (offset + worst) + " sums to " + sum + ", not 1");
        }
    }
}
