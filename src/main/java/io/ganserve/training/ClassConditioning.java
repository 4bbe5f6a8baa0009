package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.NetworkSpec;

/**
 * Mirza and Osindero's conditional GAN: G(z | y) reads the one-hot class after the noise, and D
 * sees every sample with its class — the data's own for real samples, the class G was asked for
 * for fakes (drawn uniformly, in a stream of their own).
 */
final class ClassConditioning implements Conditioning {

    private final NetworkSpec spec;

    ClassConditioning(NetworkSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDArray real(BatchSource batches, NDManager scratch, long step, int k) {
        return discriminatorInput(batches.realBatch(scratch, step, k), batches.realLabels(scratch, step, k));
    }

    @Override
    public Fakes fakes(Block generator, BatchSource batches, NDManager scratch, long step, int k) {
        NDArray z = batches.noise(scratch, step, k);
        NDArray labels = batches.fakeLabels(scratch, step, k);
        NDArray samples = GanTrainer.forward(generator, z.concat(labels, 1), scratch); // N x (latentDim + K) in
        return new Fakes(discriminatorInput(samples, labels), null);
    }

    /**
     * D(x | y): for an MLP the class follows the flattened sample (N x (len + K)); for a DCGAN it
     * becomes K constant planes after the image's channels (N x (C + K) x H x W), which the
     * projection discriminator reads back.
     */
    private NDArray discriminatorInput(NDArray x, NDArray oneHot) {
        long n = x.getShape().get(0);
        if (spec.architecture() == Architecture.MLP) {
            return x.reshape(n, -1).concat(oneHot, 1);
        }
        Shape s = x.getShape();
        NDArray planes = oneHot.reshape(n, spec.numClasses(), 1, 1)
                .broadcast(new Shape(n, spec.numClasses(), s.get(2), s.get(3)));
        return x.concat(planes, 1);
    }
}
