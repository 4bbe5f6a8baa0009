package io.ganserve.evaluation;

import io.ganserve.gan.NetworkCost;
import io.ganserve.gan.NetworkSpec;

/**
 * Native memory an evaluation holds, priced before it starts. The evaluator keeps every generated
 * sample until the scores are computed (pixels for Parzen windows, features for FD and precision
 * and recall), so the cost grows with the sample count; the generator runs {@link #GENERATOR_PASS}
 * samples a pass beside them (both sample sources, serving's and training's, pass that many).
 */
public final class EvaluationCost {

    /** Arrays per generated pixel that the evaluator keeps: the sample, its [0, 1] copy, the concatenation. */
    private static final int KEPT_PER_PIXEL = 4;
    /** Floats per sample for its features and class probabilities, and their concatenations. */
    private static final int KEPT_PER_SAMPLE = 2 * (128 + 10);
    /**
     * Distances are computed a chunk of {@link PairwiseDistances#CHUNK_ELEMENTS} at a time, with a
     * few temporaries of that size; the feature network's weights and a chunk's pass are small beside it.
     */
    private static final long FIXED = 4L * Float.BYTES * PairwiseDistances.CHUNK_ELEMENTS + (64L << 20);

    /** Samples the generator makes in one pass while an evaluation draws its samples. */
    public static final int GENERATOR_PASS = 64;

    private EvaluationCost() {}

    /**
     * Bytes of native memory to score a translator on {@code pairs} held-out pairs: the source,
     * translated and true images with their features, a chunk's pass through a generator, and the
     * judges (two small classifiers) with their training batches inside the fixed part.
     */
    public static long translation(io.ganserve.gan.cyclegan.TranslatorCost cost, int pairs, int imageLength) {
        long kept = (long) pairs * (3L * imageLength + 3L * KEPT_PER_SAMPLE);
        long generating = (long) io.ganserve.gan.cyclegan.Translation.CHUNK * cost.generatorActivations()
                + NetworkCost.PASS_COPIES * cost.generatorParameters();
        return Float.BYTES * (kept + generating) + FIXED;
    }

    /** Bytes of native memory to score {@code samples} samples of a generator built by {@code spec}. */
    public static long bytes(NetworkSpec spec, int samples) {
        NetworkCost cost = NetworkCost.of(spec);
        long kept = (long) samples * (KEPT_PER_PIXEL * (long) spec.sampleLength() + KEPT_PER_SAMPLE);
        long generating = (long) GENERATOR_PASS * cost.generatorActivations()
                + NetworkCost.PASS_COPIES * cost.generatorParameters();
        return Float.BYTES * (kept + generating) + FIXED;
    }
}
