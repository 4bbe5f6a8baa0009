package io.ganserve.registry;

import io.ganserve.gan.LatentCodes;

/**
 * InfoGAN's part of a job (Chen et al., 2016): the latent codes G gets beside the noise, and the
 * weights of the mutual-information term in both players' losses.
 *
 * @param lambda weight of the categorical code's term; the paper's 1
 * @param continuousLambda weight of the continuous codes' term; 0.1 by default, smaller as the paper advises
 * @param ownershipEvery generator steps between checks that each categorical value owns a region
 *     of the data of its own, moving a value that shares one onto data no value reaches (point data;
 *     0 for none, the default outside the point default: docs/variants.md)
 */
public record InfoGan(LatentCodes codes, float lambda, float continuousLambda, int ownershipEvery) {

    public static final float DEFAULT_LAMBDA = 1f;
    public static final float DEFAULT_CONTINUOUS_LAMBDA = 0.1f;
    public static final InfoGan OFF = new InfoGan(LatentCodes.NONE, 0, 0);

    /** Records written before {@code ownershipEvery} existed read back with 0: no checks. */
    public InfoGan {
        codes = codes == null ? LatentCodes.NONE : codes;
        if (ownershipEvery < 0) {
            throw new IllegalArgumentException("ownershipEvery must not be negative: " + ownershipEvery);
        }
    }

    public InfoGan(LatentCodes codes, float lambda, float continuousLambda) {
        this(codes, lambda, continuousLambda, 0);
    }

    /** The same codes and weights, checked for ownership every {@code steps} generator steps. */
    public InfoGan withOwnershipEvery(int steps) {
        return new InfoGan(codes, lambda, continuousLambda, steps);
    }

    public boolean enabled() {
        return codes.isPresent();
    }
}
