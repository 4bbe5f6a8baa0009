package io.ganserve.gan.cyclegan;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.ganserve.engine.precision.Conv2d;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.ganserve.gan.TransposedConv2d;
import java.util.List;

/**
 * Zhu et al.'s CycleGAN networks, scaled to 32 and 64 px: Johnson et al.'s ResNet generator (a 7×7
 * stem, two stride-2 convolutions down, residual blocks, two stride-2 transposed convolutions up,
 * a 7×7 head with tanh) and a PatchGAN critic whose every output judges one overlapping patch.
 * Instance norm throughout; zero padding where the paper reflects (DJL has no reflection pad; it
 * costs a faint border, which the cycle loss penalises like any other error).
 *
 * <p>Shapes below are for 32 × 32 with 32 generator and 32 critic filters.
 */
public final class CycleGanNetworks {

    private static final float SIGMA = 0.02f; // the paper's N(0, 0.02) initialisation

    private CycleGanNetworks() {}

    /** A generator (G: A→B or F: B→A) with initialised parameters in {@code manager}. */
    public static Block generator(TranslatorSpec spec, NDManager manager) {
        return initialised(generator(spec), spec, manager, NORMAL);
    }

    /** A generator with the right layout and zero values, to load saved parameters into without drawing. */
    public static Block emptyGenerator(TranslatorSpec spec, NDManager manager) {
        return initialised(generator(spec), spec, manager, Initializer.ZEROS);
    }

    /** A critic with the right layout and zero values (pricing, loading), drawing nothing from the RNG. */
    public static Block emptyCritic(TranslatorSpec spec, NDManager manager) {
        return initialised(critic(spec), spec, manager, Initializer.ZEROS);
    }

    /** A PatchGAN critic (D_A or D_B) with initialised parameters in {@code manager}. */
    public static Block critic(TranslatorSpec spec, NDManager manager) {
        return initialised(critic(spec), spec, manager, NORMAL);
    }

    private static final Initializer NORMAL = new NormalInitializer(SIGMA);

    private static Block initialised(Block block, TranslatorSpec spec, NDManager manager, Initializer weights) {
        block.setInitializer(weights, Parameter.Type.WEIGHT);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        block.initialize(manager, DataType.FLOAT32, imageShape(spec, 1));
        return block;
    }

    public static Shape imageShape(TranslatorSpec spec, long batch) {
        return new Shape(batch, spec.channels(), spec.side(), spec.side());
    }

    static SequentialBlock generator(TranslatorSpec spec) {
        int f = spec.generatorFilters();
        SequentialBlock g = new SequentialBlock();
        g.add(conv(f, 7, 1, 3, false)).add(new InstanceNorm()).add(Activation.reluBlock()); // 32 x 32 x 32
        g.add(conv(2 * f, 3, 2, 1, false)).add(new InstanceNorm()).add(Activation.reluBlock()); // 64 x 16 x 16
        g.add(conv(4 * f, 3, 2, 1, false)).add(new InstanceNorm()).add(Activation.reluBlock()); // 128 x 8 x 8
        for (int i = 0; i < spec.residualBlocks(); i++) {
            g.add(residual(4 * f)); // 128 x 8 x 8
        }
        g.add(new TransposedConv2d(2 * f, 4, 2, 1, false)).add(new InstanceNorm()).add(Activation.reluBlock()); // 64 x 16 x 16
        g.add(new TransposedConv2d(f, 4, 2, 1, false)).add(new InstanceNorm()).add(Activation.reluBlock()); // 32 x 32 x 32
        g.add(conv(spec.channels(), 7, 1, 3, true)).add(Activation.tanhBlock()); // 3 x 32 x 32, in [-1, 1]
        return g;
    }

    /** x + conv(relu(norm(conv(x)))) with its norm: the block learns a change to its input. */
    private static Block residual(int width) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(width, 3, 1, 1, false)).add(new InstanceNorm()).add(Activation.reluBlock())
                .add(conv(width, 3, 1, 1, false)).add(new InstanceNorm());
        return new ParallelBlock(branches -> new NDList(
                branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())),
                List.of(body, Blocks.identityBlock()));
    }

    static SequentialBlock critic(TranslatorSpec spec) {
        int f = spec.criticFilters();
        SequentialBlock d = new SequentialBlock();
        d.add(conv(f, 4, 2, 1, true)).add(Activation.leakyReluBlock(0.2f)); // 32 x 16 x 16, no norm on the input layer
        int width = f;
        for (int side = spec.side() / 2; side > 8; side /= 2) { // 64 px takes one level more
            width *= 2;
            d.add(conv(width, 4, 2, 1, false)).add(new InstanceNorm()).add(Activation.leakyReluBlock(0.2f)); // 64 x 8 x 8
        }
        d.add(conv(width * 2, 4, 1, 1, false)).add(new InstanceNorm()).add(Activation.leakyReluBlock(0.2f)); // 128 x 7 x 7
        d.add(conv(1, 4, 1, 1, true)); // 1 x 6 x 6: one least-squares verdict per overlapping patch
        return d;
    }

    private static Block conv(int filters, int kernel, int stride, int padding, boolean bias) {
        return Conv2d.of(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(bias));
    }
}
