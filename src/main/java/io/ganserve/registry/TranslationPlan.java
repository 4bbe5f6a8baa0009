package io.ganserve.registry;

import io.ganserve.gan.cyclegan.TranslatorSpec;

/**
 * What makes a job a CycleGAN: the domain it translates to (its dataset is the other) and the
 * networks' sizes and loss weights. Null in the configuration of every other job.
 *
 * @param target the dataset of domain B (the job's own dataset is domain A)
 * @param generatorFilters feature maps of each generator's first layer
 * @param residualBlocks residual blocks at the generators' lowest resolution
 * @param criticFilters feature maps of each PatchGAN critic's first layer
 * @param cycleWeight λ on the cycle-consistency L1
 * @param identityWeight the identity L1's weight as a share of λ
 * @param poolSize generated images each critic's history holds
 */
public record TranslationPlan(String target, int generatorFilters, int residualBlocks, int criticFilters,
                              float cycleWeight, float identityWeight, int poolSize) {

    /** The networks for images of {@code channels} x {@code side} x {@code side}. */
    public TranslatorSpec spec(int channels, int side) {
        return new TranslatorSpec(channels, side, generatorFilters, residualBlocks, criticFilters);
    }
}
