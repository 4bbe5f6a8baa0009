package io.ganserve.gan;

import io.ganserve.engine.NativeArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * InfoGAN's L_I, as a loss to minimise: the Q head's cross-entropy on the categorical code plus a
 * fixed-variance Gaussian negative log-likelihood (half the squared error) on the continuous codes.
 * Minimising it maximises the variational lower bound on I(c; G(z, c)), because H(c) is a constant.
 */
public final class MutualInformationLoss {

    private final LatentCodes codes;
    private final float categoricalWeight;
    private final float continuousWeight;

    /**
     * @param categoricalWeight the paper's λ for discrete codes (1)
     * @param continuousWeight λ for continuous codes; the paper uses a smaller one, since their
     *     squared errors would otherwise drown the adversarial signal
     */
    public MutualInformationLoss(LatentCodes codes, float categoricalWeight, float continuousWeight) {
        this.codes = codes;
        this.categoricalWeight = categoricalWeight;
        this.continuousWeight = continuousWeight;
    }

    /** What the loss and its bound evaluated to on one batch. */
    public record Terms(NDArray loss, float mutualInformation) {}

    /**
     * @param q the Q head's outputs, N x (K + C): K categorical logits, then C continuous means
     * @param c the codes G was given, N x (K + C): the categorical one-hot, then the continuous values
     * @return the weighted loss, and the lower bound H(c) − CE on the categorical code's mutual
     *     information in nats (0 without a categorical code)
     */
    public Terms evaluate(NDArray q, NDArray c) {
        int k = codes.categorical();
        NDArray loss = null;
        float information = 0;
        if (k > 0) {
            NDArray logits = q.get(new NDIndex(":, 0:{}", k));
            NDArray target = c.get(new NDIndex(":, 0:{}", k));
            // −Σ y log softmax(l), averaged over the batch
            NDArray crossEntropy = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
            information = (float) Math.log(k) - crossEntropy.getFloat();
            loss = NativeArrays.times(crossEntropy, categoricalWeight);
        }
        if (codes.continuous() > 0) {
            NDArray error = q.get(new NDIndex(":, {}:", k)).sub(c.get(new NDIndex(":, {}:", k)));
            NDArray gaussian = NativeArrays.times(error.square().sum(new int[] {1}).mean(), 0.5f * continuousWeight);
            loss = loss == null ? gaussian : loss.add(gaussian);
        }
        if (loss == null) {
            throw new IllegalStateException("no latent codes to recover");
        }
        return new Terms(loss, information);
    }
}
