package io.ganserve.gan;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import io.ganserve.engine.precision.Conv2d;
import io.ganserve.engine.precision.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;

/**
 * The GAN paper's "auxiliary network to predict z given x": a DCGAN-style discriminator body
 * (stride-2 4 x 4 convolutions, LeakyReLU 0.2, batch norm after the first) whose head regresses
 * the generator's noise instead of a logit. Trained after G is fixed (see
 * {@code io.ganserve.training.EncoderTrainer}); it predicts the noise only, so it serves
 * unconditional generators without InfoGAN codes.
 *
 * <p>Shapes below are for 1 x 28 x 28 and width 64; after the first convolution the side is halved
 * (and the width doubled) at least once more and then while the side is 14 or more: 32 px ends at
 * 128 x 8 x 8, 64 px at 256 x 8 x 8.
 */
public final class EncoderNetwork {

    /** Feature maps of the first convolution; doubled at each later one. */
    public static final int WIDTH = 64;
    private static final int KERNEL = 4;
    private static final int STRIDE = 2;
    private static final int PADDING = 1;
    /** Smallest side the two first convolutions can halve twice. */
    private static final int MIN_SIDE = 8;

    private EncoderNetwork() {}

    /** Why an encoder cannot be trained for this generator; null when it can. */
    public static String unsupportedReason(NetworkSpec spec) {
        if (!spec.isImage()) {
            return "an encoder is trained for image generators; this one generates points";
        }
        if (spec.numClasses() > 0) {
            return "conditional generators are not supported yet: the encoder predicts the noise, not the class";
        }
        if (spec.codes().width() > 0) {
            return "InfoGAN generators are not supported yet: the encoder predicts the noise, not the codes";
        }
        int side = spec.sampleShape().get(1);
        if (side != spec.sampleShape().get(2) || side < MIN_SIDE) {
            return "an encoder needs square images of at least " + MIN_SIDE + " px, got " + spec.sampleShape();
        }
        return null;
    }

    static Block build(NetworkSpec spec) {
        String unsupported = unsupportedReason(spec);
        if (unsupported != null) {
            throw new IllegalArgumentException(unsupported);
        }
        SequentialBlock e = new SequentialBlock();
        int width = WIDTH;
        int side = spec.sampleShape().get(1);
        e.add(conv(width)); // 64 x 14 x 14
        e.add(Activation.leakyReluBlock(0.2f));
        side = halved(side);
        do {
            width *= 2;
            e.add(conv(width)); // 128 x 7 x 7
            e.add(BatchNorm.builder().build());
            e.add(Activation.leakyReluBlock(0.2f));
            side = halved(side);
        } while (side >= 2 * 7);
        e.add(Blocks.batchFlattenBlock()); // 128·7·7
        e.add(Linear.of(Linear.builder().setUnits(spec.latentDim()))); // d: the predicted noise
        return e;
    }

    /** An encoder with DCGAN-initialised parameters living in {@code manager}. */
    public static Block create(NetworkSpec spec, NDManager manager) {
        Block e = build(spec);
        GanInitializers.apply(e);
        e.initialize(manager, DataType.FLOAT32, GanModelZoo.sampleShape(spec, 1));
        return e;
    }

    /** An encoder with the right layout and zero values, to load saved parameters into (draws no random numbers). */
    public static Block empty(NetworkSpec spec, NDManager manager) {
        Block e = build(spec);
        e.setInitializer(Initializer.ZEROS, p -> true);
        e.initialize(manager, DataType.FLOAT32, GanModelZoo.sampleShape(spec, 1));
        return e;
    }

    /**
     * Floats the encoder's weights hold, and the floats one example's forward pass keeps
     * (every layer's output), from the same layer list as {@link #build}.
     */
    public record Cost(long parameters, long activationsPerExample) {}

    public static Cost cost(NetworkSpec spec) {
        int channels = spec.sampleShape().get(0);
        int width = WIDTH;
        int side = halved(spec.sampleShape().get(1));
        long parameters = (long) channels * width * KERNEL * KERNEL + width; // first convolution, no batch norm
        long activations = 2L * width * side * side; // its output and LeakyReLU's
        do {
            int in = width;
            width *= 2;
            side = halved(side);
            // convolution weights and bias; batch norm's scale, shift and two running statistics
            parameters += (long) in * width * KERNEL * KERNEL + width + 4L * width;
            activations += 3L * width * side * side; // convolution, batch norm, LeakyReLU
        } while (side >= 2 * 7);
        long flat = (long) width * side * side;
        parameters += flat * spec.latentDim() + spec.latentDim();
        activations += flat + spec.latentDim();
        return new Cost(parameters, activations);
    }

    private static int halved(int side) {
        return (side + 2 * PADDING - KERNEL) / STRIDE + 1;
    }

    private static Block conv(int filters) {
        return Conv2d.of(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(KERNEL, KERNEL))
                .optStride(new Shape(STRIDE, STRIDE))
                .optPadding(new Shape(PADDING, PADDING)));
    }
}
