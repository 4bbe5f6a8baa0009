package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Miyato &amp; Koyama's projection discriminator, D(x, y) = ψ(φ(x)) + embed(y)ᵀ φ(x): the class
 * enters as an inner product with the image's features, so D cannot judge realism while ignoring
 * it, which concatenating label planes at the input allows.
 *
 * <p>Its input is what the trainer builds for any conditional DCGAN, the image's C channels followed
 * by K constant planes holding the one-hot class (N x (C + K) x H x W); the class is read back
 * from one pixel of those planes.
 */
final class ProjectionDiscriminator extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int classes;
    private final Block features;
    private final Block head;
    private final Block embedding;

    /**
     * @param features φ: N x C x H x W images to N x F features
     * @param head ψ: N x F to N x 1
     * @param embedding N x K one-hot classes to N x F, without bias
     */
    ProjectionDiscriminator(int channels, int classes, Block features, Block head, Block embedding) {
        super(VERSION);
        this.channels = channels;
        this.classes = classes;
        this.features = addChildBlock("features", features);
        this.head = addChildBlock("head", head);
        this.embedding = addChildBlock("embedding", embedding);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow(); // N x (C + K) x H x W
        NDArray image = input.get(new NDIndex(":, 0:{}", channels)); // N x C x H x W
        NDArray oneHot = input.get(new NDIndex(":, {}:, 0, 0", channels)); // N x K
        NDArray phi = features.forward(parameterStore, new NDList(image), training).singletonOrThrow(); // N x F
        NDArray score = head.forward(parameterStore, new NDList(phi), training).singletonOrThrow(); // N x 1
        NDArray embedded = embedding.forward(parameterStore, new NDList(oneHot), training).singletonOrThrow(); // N x F
        return new NDList(score.add(phi.mul(embedded).sum(new int[] {1}, true))); // N x 1
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(1) != channels + classes) {
            throw new IllegalArgumentException("expected " + channels + " image channels and " + classes
                    + " label planes, got input " + in);
        }
        Shape image = new Shape(in.get(0), channels, in.get(2), in.get(3));
        features.initialize(manager, dataType, image);
        Shape phi = features.getOutputShapes(new Shape[] {image})[0];
        head.initialize(manager, dataType, phi);
        embedding.initialize(manager, dataType, new Shape(in.get(0), classes));
    }
}
