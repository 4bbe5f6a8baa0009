package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The two halves of an adversarial objective, written on the discriminator's raw logits.
 * Working on logits with softplus keeps them finite where log(σ(l)) would underflow.
 */
public interface GanLoss {

    /** What the discriminator minimises, given its logits on a real and on a fake batch. */
    NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits);

    /** What the generator minimises, given the discriminator's logits on its fakes. */
    NDArray generatorLoss(NDArray fakeLogits);

    /** −log σ(l) = softplus(−l), the cross-entropy of calling l "real". */
    static NDArray softplusOfNegative(NDArray logits) {
        return Activation.softPlus(logits.neg());
    }

    /** The discriminator's side of the original game: −E[log D(x)] − E[log(1 − D(G(z)))]. */
    static NDArray crossEntropyDiscriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
        return softplusOfNegative(realLogits).mean().add(Activation.softPlus(fakeLogits).mean());
    }
}
