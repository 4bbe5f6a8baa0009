package io.ganserve.gan;

import ai.djl.ndarray.NDArray;

/**
 * The GAN paper's practical choice: G maximises E[log D(G(z))], i.e. minimises E[softplus(−l)].
 * Same fixed point as the minimax game, but strong gradients early in training.
 */
public final class NonSaturatingLoss implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
        return GanLoss.crossEntropyDiscriminatorLoss(realLogits, fakeLogits);
    }

    @Override
    public NDArray generatorLoss(NDArray fakeLogits) {
        return GanLoss.softplusOfNegative(fakeLogits).mean();
    }
}
