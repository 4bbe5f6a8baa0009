package io.ganserve.gan;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

/**
 * Counts the multiply-adds of one forward pass per sample: the work a layer must do, the figure to
 * hold a measured rate against. Normalisation and activations are left out (a few per element,
 * negligible beside the dense and convolution layers).
 */
public final class MultiplyAdds {

    private MultiplyAdds() {}

    /** Multiply-adds of one sample through an initialised network whose input (batch 1) has {@code input} shape. */
    public static long forward(Block network, Shape input) {
        if (network instanceof SequentialBlock sequence) {
            long total = 0;
            Shape shape = input;
            for (Block child : sequence.getChildren().values()) {
                total += forward(child, shape);
                shape = child.getOutputShapes(new Shape[] {shape})[0];
            }
            return total;
        }
        if (network instanceof ParallelBlock branches) { // residual blocks: every branch sees the input
            return branches.getChildren().values().stream().mapToLong(b -> forward(b, input)).sum();
        }
        return layer(network, input);
    }

    private static long layer(Block layer, Shape input) {
        Shape output = layer.getOutputShapes(new Shape[] {input})[0];
        if (layer instanceof Linear || layer instanceof SpectralLinear) {
            return weights(layer);
        }
        if (layer instanceof Convolution || layer instanceof SpectralConv2d) {
            return weights(layer) * output.get(2) * output.get(3); // every output position applies the kernel
        }
        if (layer instanceof TransposedConv2d transposed) {
            return weights(transposed) * input.get(2) * input.get(3); // every input position scatters the kernel
        }
        return 0;
    }

    private static long weights(Block layer) {
        return layer.getParameters().get("weight").getArray().getShape().size();
    }

    /**
     * Multiply-adds of one training iteration per real sample, counting a backward pass as twice its
     * forward: each of k discriminator steps runs G forward and D forward and backward on a real and
     * a fake batch (G + 6D); the generator step runs G and D forward, D backward to its input only
     * (about one forward), and G backward (3G + 2D).
     */
    public static long trainingIteration(long generator, long discriminator, int discriminatorSteps) {
        return discriminatorSteps * (generator + 6 * discriminator) + 3 * generator + 2 * discriminator;
    }
}
