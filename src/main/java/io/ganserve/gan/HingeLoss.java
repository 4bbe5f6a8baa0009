package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The hinge loss of Miyato et al.'s spectrally normalised GAN: D minimises
 * E[max(0, 1 − l_real)] + E[max(0, 1 + l_fake)], G minimises −E[l_fake].
 */
public final class HingeLoss implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
        NDArray real = Activation.relu(realLogits.neg().add(1)).mean();
        return real.add(Activation.relu(fakeLogits.add(1)).mean());
    }

    @Override
    public NDArray generatorLoss(NDArray fakeLogits) {
        return fakeLogits.mean().neg();
    }
}
