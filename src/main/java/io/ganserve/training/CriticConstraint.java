package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.ganserve.registry.Variant;
import java.util.List;

/**
 * What keeps a Wasserstein critic (about) 1-Lipschitz: nothing (other losses, or spectral norm,
 * which lives in the layers), Arjovsky et al.'s weight clipping after each update, or Gulrajani et
 * al.'s gradient penalty added to the critic's loss.
 */
interface CriticConstraint {

    CriticConstraint NONE = new CriticConstraint() {};

    /** A term added to the critic's loss for sub-step {@code k} of step {@code step}, or null. */
    default NDArray penalty(Block critic, NDArray real, NDArray fake, BatchSource batches, NDManager scratch,
                            long step, int k) {
        return null;
    }

    /** Runs after every critic update, with autograd off. */
    default void afterUpdate(List<Parameter> trainable, NDManager manager) {}

    static CriticConstraint of(Variant variant) {
        if (variant.clipValue() > 0 && variant.gradientPenalty() > 0) {
            throw new IllegalArgumentException("weight clipping and the gradient penalty do not go together");
        }
        if (variant.clipValue() > 0) {
            return new WeightClipping(variant.clipValue());
        }
        if (variant.gradientPenalty() > 0) {
            return new GradientPenaltyTerm(variant.gradientPenalty());
        }
        return NONE;
    }
}
