package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Draws generated samples for an evaluation, from a live trainer or a served snapshot. */
@FunctionalInterface
public interface SampleSource {

    /**
     * {@code n} samples in the model's range (images N x C x H x W in [−1, 1], points N x 2),
     * attached to {@code manager}; the same {@code seed} gives the same samples.
     */
    NDArray draw(NDManager manager, int n, long seed);
}
