package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.ganserve.gan.GradientPenalty;

/** WGAN-GP: λ·(‖∇D(x̂)‖ − 1)² at points x̂ between real and fake samples, one mixing weight per sample. */
final class GradientPenaltyTerm implements CriticConstraint {

    private final float lambda;

    GradientPenaltyTerm(float lambda) {
        this.lambda = lambda;
    }

    @Override
    public NDArray penalty(Block critic, NDArray real, NDArray fake, BatchSource batches, NDManager scratch,
                           long step, int k) {
        NDArray epsilon = batches.uniform(scratch, step, k, real.getShape().get(0));
        return GradientPenalty.penalty(critic, real, fake, epsilon, lambda, new ParameterStore(scratch, false));
    }
}
