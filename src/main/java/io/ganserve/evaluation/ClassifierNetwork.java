package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;

/**
 * LeNet-style classifier: two valid 5 x 5 convolutions, each followed by ReLU and 2 x 2 max
 * pooling, a hidden dense layer whose ReLU outputs are the features, and a linear layer to class
 * logits. Unpadded convolutions keep the work small (about 1.1 M multiply-adds per 28 x 28 image);
 * the dense layer's input size follows from the image side, so any side from 16 up works.
 *
 * <p>Shapes below are for 1 x 28 x 28; 32 gives 5 x 5 before flattening, 64 gives 13 x 13.
 */
final class ClassifierNetwork {

    static final int FEATURE_DIM = 128;
    /** Smallest side that leaves at least one position after both convolutions and pools. */
    static final int MIN_SIDE = 16;
    private static final int KERNEL = 5;
    private static final int POOL = 2;
    private static final int CONV1_FILTERS = 16;
    private static final int CONV2_FILTERS = 32;

    private final Block features;
    private final Block head;
    private final SequentialBlock whole;

    ClassifierNetwork(int numClasses) {
        this.features = new SequentialBlock()
                .add(conv(CONV1_FILTERS)) // 16 x 24 x 24
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(POOL, POOL))) // 16 x 12 x 12
                .add(conv(CONV2_FILTERS)) // 32 x 8 x 8
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(POOL, POOL))) // 32 x 4 x 4
                .add(Blocks.batchFlattenBlock()) // 512
                .add(Linear.builder().setUnits(FEATURE_DIM).build()) // 128
                .add(Activation.reluBlock()); // 128 features
        this.head = Linear.builder().setUnits(numClasses).build(); // K logits
        this.whole = new SequentialBlock().add(features).add(head);
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(KERNEL, KERNEL)).build();
    }

    /** Draws initial weights from the engine's random generator; the input shape fixes the dense layer's size. */
    void initialize(NDManager manager, int channels, int side) {
        whole.initialize(manager, DataType.FLOAT32, new Shape(1, channels, side, side));
    }

    /** The whole network, for optimisers and for saving and loading parameters. */
    Block block() {
        return whole;
    }

    /** The feature layers alone (everything but the last linear layer). */
    Block featureBlock() {
        return features;
    }

    Block headBlock() {
        return head;
    }

    /**
     * N x C x H x W images to N x FEATURE_DIM features. Every result lands on {@code images}' manager
     * (the first operand's), so pass images that belong to a per-call scratch manager.
     */
    NDArray features(NDArray images, NDManager scratch, boolean training) {
        return forward(features, images, scratch, training);
    }

    /** N x C x H x W images to N x K logits, on {@code images}' manager. */
    NDArray logits(NDArray images, NDManager scratch, boolean training) {
        return forward(whole, images, scratch, training);
    }

    private static NDArray forward(Block block, NDArray x, NDManager scratch, boolean training) {
        return block.forward(new ParameterStore(scratch, false), new NDList(x), training).singletonOrThrow();
    }
}
