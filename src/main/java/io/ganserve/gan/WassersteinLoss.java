package io.ganserve.gan;

import ai.djl.ndarray.NDArray;

/**
 * Arjovsky et al.'s WGAN: the critic's raw outputs, no sigmoid. The critic minimises
 * E[f(G(z))] − E[f(x)], whose negation estimates the Wasserstein-1 distance once f is kept
 * Lipschitz (weight clipping, or a gradient penalty for WGAN-GP); the generator minimises −E[f(G(z))].
 */
public final class WassersteinLoss implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realScores, NDArray fakeScores) {
        return fakeScores.mean().sub(realScores.mean());
    }

    @Override
    public NDArray generatorLoss(NDArray fakeScores) {
        return fakeScores.mean().neg();
    }
}
