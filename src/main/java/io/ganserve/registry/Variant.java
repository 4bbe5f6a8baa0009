package io.ganserve.registry;

/**
 * The options that turn the original GAN into one of its successors. Each is a real change to the
 * training step, not a label.
 *
 * @param optimizer Adam, or RMSProp for the weight-clipped WGAN
 * @param clipValue WGAN: every critic parameter is clipped to [−c, c] after each critic update; 0 is off
 * @param gradientPenalty WGAN-GP's λ; 0 is off
 * @param spectralNorm every discriminator weight divided by its largest singular value (Miyato et al.)
 * @param pack PacGAN's m: the discriminator judges m samples at once; 1 is off
 * @param emaDecay decay of an exponential moving average of the generator's weights, served
 *     instead of the raw generator; 0 is off
 * @param conditional Mirza &amp; Osindero's conditional GAN: G and D both take the sample's class as a
 *     one-hot vector, so serving can ask for a class; needs a labelled dataset
 * @param infoGan InfoGAN's latent codes and mutual-information weights; {@link InfoGan#OFF} is off
 */
public record Variant(
        OptimizerKind optimizer,
        float clipValue,
        float gradientPenalty,
        boolean spectralNorm,
        int pack,
        float emaDecay,
        boolean conditional,
        InfoGan infoGan) {

    public static final Variant NONE = builder().build();

    /** Records written before InfoGAN existed read back without it. */
    public Variant {
        infoGan = infoGan == null ? InfoGan.OFF : infoGan;
    }

    /** A plain GAN's variant (Adam, nothing added); set what differs. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private float clipValue;
        private float gradientPenalty;
        private boolean spectralNorm;
        private int pack = 1;
        private float emaDecay;
        private boolean conditional;
        private InfoGan infoGan = InfoGan.OFF;

        private Builder() {}

        public Builder optimizer(OptimizerKind value) {
            optimizer = value;
            return this;
        }

        public Builder clipValue(float value) {
            clipValue = value;
            return this;
        }

        public Builder gradientPenalty(float value) {
            gradientPenalty = value;
            return this;
        }

        public Builder spectralNorm(boolean value) {
            spectralNorm = value;
            return this;
        }

        public Builder pack(int value) {
            pack = value;
            return this;
        }

        public Builder emaDecay(float value) {
            emaDecay = value;
            return this;
        }

        public Builder conditional(boolean value) {
            conditional = value;
            return this;
        }

        public Builder infoGan(InfoGan value) {
            infoGan = value;
            return this;
        }

        public Variant build() {
            return new Variant(optimizer, clipValue, gradientPenalty, spectralNorm, pack, emaDecay, conditional, infoGan);
        }
    }
}
