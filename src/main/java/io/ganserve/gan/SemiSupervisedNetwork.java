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
import io.ganserve.engine.precision.Conv2d;
import io.ganserve.engine.precision.Linear;
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

    /**
     * What a trained classifier is: K classes, the first convolution's feature maps, and the
     * images it reads (C x side x side; 28, 32 or 64).
     */
    public record Spec(int classes, int width, int channels, int side) {

        public int imageLength() {
            return channels * side * side;
        }
    }

    /**
     * The network's size before it is built, for pricing: its parameters, and per example the
     * arrays one forward pass keeps (each convolution's output, its LeakyReLU and dropout, the
     * flattened features and the logits).
     */
    public record Cost(long parameters, long activationsPerExample) {}

    private final SequentialBlock body = new SequentialBlock();
    private final Block head;
    private final SequentialBlock whole;

    public SemiSupervisedNetwork(Spec spec) {
        this(spec.classes(), spec.width(), spec.side());
    }

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
        head = Linear.of(Linear.builder().setUnits(classes)); // K logits; the fake class's logit is 0
        whole = new SequentialBlock().add(body).add(head);
    }

    /** Draws initial weights from the engine's random generator (seed it first). */
    public void initialize(NDManager manager, int channels, int side) {
        whole.setInitializer(new ai.djl.training.initializer.NormalInitializer(0.02f),
                ai.djl.nn.Parameter.Type.WEIGHT);
        whole.initialize(manager, DataType.FLOAT32, new Shape(1, channels, side, side));
    }

    /**
     * A network of {@code spec}'s layout with zeroed values, to load saved parameters into: zero
     * filling draws nothing from libtorch's global RNG, so loading one for serving never shifts the
     * random stream of a seeded run training in the same process.
     */
    public static SemiSupervisedNetwork empty(Spec spec, NDManager manager) {
        SemiSupervisedNetwork network = new SemiSupervisedNetwork(spec);
        network.whole.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, p -> true);
        network.whole.initialize(manager, DataType.FLOAT32, new Shape(1, spec.channels(), spec.side(), spec.side()));
        return network;
    }

    /** The layer sizes the constructor builds, counted: see {@link Cost}. */
    public static Cost cost(Spec spec) {
        long params = 0;
        long activations = 0;
        long in = spec.channels();
        long maps = spec.width();
        long s = spec.side() / 2;
        params += in * maps * KERNEL * KERNEL + maps;
        activations += 3 * maps * s * s; // convolution, LeakyReLU, dropout
        do {
            long next = maps * 2;
            params += maps * next * KERNEL * KERNEL + next;
            maps = next;
            s /= 2;
            activations += 3 * maps * s * s;
        } while (s >= 2 * 7);
        long features = maps * s * s;
        params += features * spec.classes() + spec.classes();
        activations += features + spec.classes();
        return new Cost(params, activations);
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
        return Conv2d.of(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(KERNEL, KERNEL))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)));
    }
}
