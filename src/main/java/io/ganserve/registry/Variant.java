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

    public static final Variant NONE = new Variant(OptimizerKind.ADAM, 0, 0, false, 1, 0, false);

    /** Records written before InfoGAN existed read back without it. */
    public Variant {
        infoGan = infoGan == null ? InfoGan.OFF : infoGan;
    }

    public Variant(OptimizerKind optimizer, float clipValue, float gradientPenalty, boolean spectralNorm, int pack,
                   float emaDecay, boolean conditional) {
        this(optimizer, clipValue, gradientPenalty, spectralNorm, pack, emaDecay, conditional, InfoGan.OFF);
    }
}
