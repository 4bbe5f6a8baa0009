package io.ganserve.registry;

import io.ganserve.gan.LatentCodes;

/**
 * InfoGAN's part of a job (Chen et al., 2016): the latent codes G gets beside the noise, and the
 * weights of the mutual-information term in both players' losses.
 *
 * @param lambda weight of the categorical code's term; the paper's 1
 * @param continuousLambda weight of the continuous codes' term; 0.1 by default, smaller as the paper advises
 */
public record InfoGan(LatentCodes codes, float lambda, float continuousLambda) {

    public static final float DEFAULT_LAMBDA = 1f;
    public static final float DEFAULT_CONTINUOUS_LAMBDA = 0.1f;
    public static final InfoGan OFF = new InfoGan(LatentCodes.NONE, 0, 0);

    public InfoGan {
        codes = codes == null ? LatentCodes.NONE : codes;
    }

    public boolean enabled() {
        return codes.isPresent();
    }
}
