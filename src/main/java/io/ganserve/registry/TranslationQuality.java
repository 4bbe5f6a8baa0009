package io.ganserve.registry;

/**
 * A translator's scores on held-out pairs, both directions, and how far its judges can be trusted.
 *
 * @param forward source → target (G)
 * @param backward target → source (F)
 * @param vendorAccuracy the domain classifier's accuracy on real held-out images of both domains
 * @param categoryAccuracy the shared feature network's class accuracy on them
 */
public record TranslationQuality(Direction forward, Direction backward, double vendorAccuracy,
                                 double categoryAccuracy) {

    /**
     * One direction. Pixel errors are per pixel and channel on [0, 1].
     *
     * @param pairs held-out pairs measured
     * @param l1 mean |G(a) − b|: the translation against the true image of the other domain
     * @param identityL1 mean |a − b|: what leaving the image alone scores; a translator must beat it
     * @param psnr mean PSNR (dB) of G(a) against b
     * @param identityPsnr mean PSNR of a against b
     * @param reconstructionL1 mean |F(G(a)) − a|: how much of a survives the round trip
     * @param fd Fréchet distance of G(A) to real B in the shared feature network
     * @param identityFd Fréchet distance of the untranslated A to real B
     * @param judgedTarget share of G(a) the domain classifier puts in the target domain
     * @param identityJudgedTarget share of the untranslated a it puts there
     */
    public record Direction(int pairs, double l1, double identityL1, double psnr, double identityPsnr,
                            double reconstructionL1, double fd, double identityFd, double judgedTarget,
                            double identityJudgedTarget) {

        /** l1 / identityL1: below 1, the translation is closer to the truth than the source is. */
        public double l1Ratio() {
            return l1 / identityL1;
        }
    }
}
