package io.ganserve.gan;

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
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;

/**
 * Salimans et al.'s (2016) discriminator as a classifier: K class logits l, with "fake" as an
 * implicit (K+1)-th class of logit 0, so D(x) = Z / (Z + 1) with Z = Σ exp(l_k). The body is a
 * DCGAN discriminator's (4 x 4 stride-2 convolutions, LeakyReLU 0.2) with dropout instead of batch
 * norm: batch norm's running statistics would mix real and generated batches, and the classifier
 * is read in inference mode. The body's flattened output is also the layer the generator's
 * feature-matching loss compares.
 *
 * <p>Shapes below are for 1 x 28 x 28 and width 64.
 */
public final class SemiSupervisedNetwork {

    private static final int KERNEL = 4;
    private static final float DROPOUT = 0.3f;

    private final SequentialBlock body = new SequentialBlock();
    private final Block head;
    private final SequentialBlock whole;

    public SemiSupervisedNetwork(int classes, int width, int side) {
        int maps = width;
        body.add(conv(maps)).add(Activation.leakyReluBlock(0.2f)) // 64 x 14 x 14
                .add(Dropout.builder().optRate(DROPOUT).build());
        int s = side / 2;
        do {
            maps *= 2;
            body.add(conv(maps)).add(Activation.leakyReluBlock(0.2f)) // 128 x 7 x 7
                    .add(Dropout.builder().optRate(DROPOUT).build());
            s /= 2;
        } while (s >= 2 * 7);
        body.add(Blocks.batchFlattenBlock()); // 128·7·7: the features feature matching compares
        head = Linear.builder().setUnits(classes).build(); // K logits; the fake class's logit is 0
        whole = new SequentialBlock().add(body).add(head);
    }

    /** Draws initial weights from the engine's random generator (seed it first). */
    public void initialize(NDManager manager, int channels, int side) {
        whole.setInitializer(new ai.djl.training.initializer.NormalInitializer(0.02f),
                ai.djl.nn.Parameter.Type.WEIGHT);
        whole.initialize(manager, DataType.FLOAT32, new Shape(1, channels, side, side));
    }

    public Block block() {
        return whole;
    }

    /** The body's features of N x C x H x W images; arrays land on {@code scratch}'s side of the graph. */
    public NDArray features(NDArray images, NDManager scratch, boolean training) {
        return body.forward(new ParameterStore(scratch, false), new NDList(images), training).singletonOrThrow();
    }

    public NDArray logits(NDArray features, NDManager scratch, boolean training) {
        return head.forward(new ParameterStore(scratch, false), new NDList(features), training).singletonOrThrow();
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(KERNEL, KERNEL))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build();
    }
}
