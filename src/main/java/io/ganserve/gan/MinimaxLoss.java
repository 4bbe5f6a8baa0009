package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Goodfellow et al.'s minimax game taken literally: G minimises E[log(1 − D(G(z)))] = −E[softplus(l)].
 * It saturates when D rejects fakes confidently, which is why it is not the default.
 */
public final class MinimaxLoss implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
        return GanLoss.crossEntropyDiscriminatorLoss(realLogits, fakeLogits);
    }

    @Override
    public NDArray generatorLoss(NDArray fakeLogits) {
        return Activation.softPlus(fakeLogits).mean().neg();
    }
}
