package io.ganserve.gan;

import ai.djl.ndarray.NDArray;

/**
 * Mao et al.'s least-squares GAN objective (LSGAN), CycleGAN's choice over the log loss: the
 * critic pulls its raw outputs on real samples to 1 and on fakes to 0; the generator pulls its
 * fakes' outputs to 1. Squared errors keep a gradient for fakes far on the right side of the
 * boundary, where the log loss saturates.
 */
public final class LeastSquaresLoss implements GanLoss {

    /** ½·(E[(D(real) − 1)²] + E[D(fake)²]): halved, as the CycleGAN paper does, to slow D relative to G. */
    @Override
    public NDArray discriminatorLoss(NDArray realOutputs, NDArray fakeOutputs) {
        return realOutputs.sub(1f).square().mean().add(fakeOutputs.square().mean()).mul(0.5f);
    }

    /** E[(D(G(z)) − 1)²]. */
    @Override
    public NDArray generatorLoss(NDArray fakeOutputs) {
        return fakeOutputs.sub(1f).square().mean();
    }
}
