package io.ganserve.gan.cyclegan;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import io.ganserve.gan.MultiplyAdds;

/**
 * A CycleGAN's size, counted on zero-filled copies of its networks (a few hundred thousand
 * weights: milliseconds, and no draw from the random stream of a seeded run).
 *
 * @param generatorParameters floats in one generator
 * @param criticParameters floats in one critic
 * @param generatorActivations floats one image's pass through a generator leaves for backward:
 *     every layer's output, and for an instance norm its three intermediates as well
 * @param criticActivations the same for a critic
 * @param generatorMultiplyAdds one image's forward pass through a generator
 * @param criticMultiplyAdds one image's forward pass through a critic
 */
public record TranslatorCost(long generatorParameters, long criticParameters, long generatorActivations,
                             long criticActivations, long generatorMultiplyAdds, long criticMultiplyAdds) {

    /** Arrays an instance norm keeps per output: the centred input, its square, the result. */
    private static final int NORM_ARRAYS = 3;

    public static TranslatorCost of(TranslatorSpec spec) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            Block g = CycleGanNetworks.emptyGenerator(spec, scratch);
            Block d = CycleGanNetworks.emptyCritic(spec, scratch);
            Shape image = CycleGanNetworks.imageShape(spec, 1);
            return new TranslatorCost(parameters(g), parameters(d), activations(g, image), activations(d, image),
                    MultiplyAdds.forward(g, image), MultiplyAdds.forward(d, image));
        }
    }

    /**
     * Multiply-adds of one step per pair of images: six generator passes with their backward
     * (3× a forward each), two critic passes in the generators' update with backward to the input
     * (2×), four critic passes with backward (3×) in the critics' update.
     */
    public long stepMultiplyAddsPerPair() {
        return 18 * generatorMultiplyAdds + 16 * criticMultiplyAdds;
    }

    private static long parameters(Block block) {
        return block.getParameters().values().stream().mapToLong(p -> p.getArray().getShape().size()).sum();
    }

    private static long activations(Block block, Shape input) {
        if (block instanceof SequentialBlock sequence) {
            long total = 0;
            Shape shape = input;
            for (Block child : sequence.getChildren().values()) {
                total += activations(child, shape);
                shape = child.getOutputShapes(new Shape[] {shape})[0];
            }
            return total;
        }
        long own = block.getOutputShapes(new Shape[] {input})[0].size();
        if (block instanceof ParallelBlock branches) {
            return own + branches.getChildren().values().stream().mapToLong(b -> activations(b, input)).sum();
        }
        return block instanceof InstanceNorm ? (1 + NORM_ARRAYS) * own : own;
    }
}
