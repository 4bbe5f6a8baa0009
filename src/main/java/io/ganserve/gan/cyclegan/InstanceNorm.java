package io.ganserve.gan.cyclegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Ulyanov et al.'s instance normalisation without an affine part, as CycleGAN uses it: every image's
 * every channel is shifted and scaled to mean 0 and variance 1 over its own pixels. Unlike batch
 * norm it behaves the same at batch size 1, in training and at inference, so a translator trained
 * on batches of 8 translates one uploaded image exactly as it trained. DJL has no such block.
 */
public final class InstanceNorm extends AbstractBlock {

    private static final byte VERSION = 1;
    /**
     * 1e-3, not PyTorch's 1e-5: at 8 × 8 a channel can be all but constant, and dividing by √ε then
     * multiplies its gradient by up to 1/√ε; 1e-3 bounds that at 32 instead of 316.
     */
    private static final float EPSILON = 1e-3f;

    public InstanceNorm() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // N x C x H x W
        Shape shape = x.getShape();
        NDArray pixels = x.reshape(shape.get(0), shape.get(1), -1); // N x C x HW: libtorch's mean takes one axis here
        NDArray centred = pixels.sub(pixels.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true); // the biased estimate, as PyTorch's
        return new NDList(centred.div(variance.add(EPSILON).sqrt()).reshape(shape));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "InstanceNorm()";
    }
}
