package io.ganserve.gan;

import io.ganserve.engine.NativeArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * WGAN-GP's gradient penalty, {@code λ·E[(‖∇_x̂ f(x̂)‖₂ − 1)²]}, for the project's MLP critics.
 *
 * <p>The penalty is a gradient of a gradient. libtorch's create_graph backward computes it, but
 * through DJL it leaks native memory on every step, which a long-running server cannot afford.
 * Here the critic's input gradient is instead written out by the chain rule as ordinary forward
 * ops on the weights, so the penalty is a plain differentiable expression and one normal backward
 * gives its gradient with respect to the weights. That requires knowing the critic's layers, so
 * only {@code [batchFlatten] (Linear, LeakyReLU)* Linear(1)} is accepted.
 *
 * <p>Every array this class creates belongs to the input's manager: a result attaches to its first
 * operand's manager, so the weights are never put first; otherwise each call would leave arrays
 * in the model's manager for the life of the model.
 */
public final class GradientPenalty {

    /** WGAN-GP's λ, which the paper found to work across architectures and data sets. */
    public static final float DEFAULT_LAMBDA = 10f;

    private static final String SUPPORTED = "the gradient penalty supports MLP critics (Linear + LeakyReLU); got ";

    private GradientPenalty() {}

    /**
     * The critic's gradient with respect to its input, one row per sample.
     *
     * <p>Inside a {@code GradientCollector} the result stays differentiable with respect to the
     * critic's weights; it carries no gradient back to {@code x} (LeakyReLU's slopes are piecewise
     * constant), so a generator that made {@code x} is never touched by a penalty built from it.
     *
     * @param mlpCritic an initialised critic of the shape {@code MlpNetworks.discriminator} builds
     * @param x a batch (N, d), or (N, C, H, W) when the critic starts with a flatten
     * @return ∇ₓf(x) of shape (N, d), d the flattened sample length
     * @throws IllegalArgumentException if the critic has any other structure
     */
    public static NDArray inputGradient(Block mlpCritic, NDArray x, ParameterStore store) {
        Critic critic = Critic.of(mlpCritic, x);
        NDManager scratch = x.getManager();
        long n = x.getShape().get(0);
        NDArray a = x.reshape(n, -1);

        List<NDArray> weights = new ArrayList<>();
        for (Linear linear : critic.layers()) {
            weights.add(store.getValue(linear.getParameters().get("weight"), x.getDevice(), true));
        }

        // The forward pass is needed only for the activation pattern. The slopes are constants
        // (gt has no gradient), which is what makes the hand-written backward exact: LeakyReLU is
        // linear on each side of 0, and its kink has measure zero.
        List<NDArray> slopes = new ArrayList<>();
        for (int k = 0; k < critic.slopes().size(); k++) {
            Linear linear = critic.layers().get(k);
            Parameter biasParam = linear.getParameters().contains("bias") ? linear.getParameters().get("bias") : null;
            NDArray bias = store.getValue(biasParam, x.getDevice(), true);
            NDArray z = Linear.linear(a, weights.get(k), bias).head();
            float alpha = critic.slopes().get(k);
            NDArray slope = z.gt(0).toType(z.getDataType(), false).mul(1f - alpha).add(alpha);
            slopes.add(slope);
            a = z.mul(slope);
        }

        // Backward by hand: ∂f/∂a_{L-1} = W_L (a row, the same for every sample), then through each
        // hidden layer ∂f/∂a_{k-1} = (∂f/∂a_k ⊙ slope(z_k)) · W_k. The slope array is put first so
        // each product lands in the input's manager.
        int last = weights.size() - 1;
        NDArray g = null;
        for (int k = last - 1; k >= 0; k--) {
            NDArray upstream = g == null ? weights.get(last) : g;
            g = slopes.get(k).mul(upstream).matMul(weights.get(k));
        }
        if (g == null) {
            // A critic with no hidden layer is linear: its gradient is W_L for every sample.
            NDArray wL = weights.get(last);
            g = scratch.ones(new Shape(n, 1), wL.getDataType(), x.getDevice()).matMul(wL);
        }
        return g;
    }

    /**
     * {@code λ·mean((‖∇f(x̂)‖₂ − 1)²)} with {@code x̂ = ε·real + (1 − ε)·fake}.
     *
     * @param real a batch of data, (N, d) or (N, C, H, W)
     * @param fake generated samples of the same shape
     * @param epsilon one mixing weight per sample in [0, 1], shape (N, 1) or (N)
     * @param lambda the penalty's weight, {@link #DEFAULT_LAMBDA} in the paper
     * @return a scalar, differentiable with respect to the critic's weights
     */
    public static NDArray penalty(
            Block mlpCritic, NDArray real, NDArray fake, NDArray epsilon, float lambda, ParameterStore store) {
        Shape shape = real.getShape();
        if (!fake.getShape().equals(shape)) {
            throw new IllegalArgumentException("real " + shape + " and fake " + fake.getShape() + " differ in shape");
        }
        long n = shape.get(0);
        if (epsilon.size() != n) {
            throw new IllegalArgumentException(
                    "epsilon needs one value per sample (" + n + "), got shape " + epsilon.getShape());
        }
        long[] perSample = new long[shape.dimension()];
        Arrays.fill(perSample, 1);
        perSample[0] = n;
        // ε is reshaped so it broadcasts over each sample's every element, images included.
        NDArray eps = epsilon.reshape(new Shape(perSample));
        eps.attach(real.getManager());
        NDArray mixed = real.sub(fake).mul(eps).add(fake); // ε·real + (1 − ε)·fake
        NDArray gradient = inputGradient(mlpCritic, mixed, store);
        // The tiny floor keeps sqrt's derivative finite should a gradient vanish exactly.
        NDArray norm = gradient.square().sum(new int[] {1}).add(1e-12f).sqrt();
        return NativeArrays.times(norm.sub(1f).square().mean(), lambda);
    }

    /** The critic's Linear layers in order, and the negative slope after each hidden one. */
    private record Critic(List<Linear> layers, List<Float> slopes) {

        static Critic of(Block block, NDArray x) {
            if (!(block instanceof SequentialBlock sequential)) {
                throw new IllegalArgumentException(SUPPORTED + describe(block));
            }
            List<Block> children = sequential.getChildren().values();
            int i = 0;
            boolean flattens = !children.isEmpty()
                    && children.get(0) instanceof LambdaBlock first
                    && "batchFlatten".equals(first.getName());
            if (flattens) {
                i++;
            }
            List<Linear> layers = new ArrayList<>();
            List<Float> slopes = new ArrayList<>();
            while (i < children.size()) {
                Block child = children.get(i);
                if (!(child instanceof Linear)) { // DJL's, or engine.precision's that extends it
                    throw new IllegalArgumentException(SUPPORTED + describe(child) + " at position " + i);
                }
                if (!child.isInitialized()) {
                    throw new IllegalArgumentException("the critic must be initialised first");
                }
                layers.add((Linear) child);
                i++;
                if (i == children.size()) {
                    break;
                }
                Block activation = children.get(i);
                Float alpha = activation instanceof LambdaBlock lambda && "LeakyReLU".equals(lambda.getName())
                        ? negativeSlope(lambda, x)
                        : null;
                if (alpha == null) {
                    throw new IllegalArgumentException(SUPPORTED + describe(activation) + " at position " + i);
                }
                slopes.add(alpha);
                i++;
            }
            if (layers.isEmpty()) {
                throw new IllegalArgumentException(SUPPORTED + "no Linear layer");
            }
            if (slopes.size() != layers.size() - 1) {
                throw new IllegalArgumentException(SUPPORTED + "an activation after the output layer");
            }
            Shape out = layers.get(layers.size() - 1).getParameters().get("weight").getArray().getShape();
            if (out.get(0) != 1) {
                throw new IllegalArgumentException(SUPPORTED + "an output layer of " + out.get(0) + " units, not 1");
            }
            if (!flattens && x.getShape().dimension() != 2) {
                throw new IllegalArgumentException(
                        "a critic without a flatten takes (N, d) input, got " + x.getShape());
            }
            return new Critic(List.copyOf(layers), List.copyOf(slopes));
        }

        /**
         * The LambdaBlock hides its slope inside a closure, and a wrong slope would give a wrong
         * gradient without any error, so it is measured rather than assumed to be 0.2.
         */
        private static Float negativeSlope(LambdaBlock activation, NDArray x) {
            NDManager scratch = x.getManager();
            float[] probe = {-2f, -1f, 0.5f, 3f};
            float[] y;
            try (NDArray in = scratch.create(probe);
                    NDList out = activation.forward(new ParameterStore(scratch, false), new NDList(in), false)) {
                y = out.head().toFloatArray();
            }
            float alpha = -y[1];
            boolean piecewiseLinear = Math.abs(y[0] - 2 * y[1]) < 1e-6f
                    && Math.abs(y[2] - probe[2]) < 1e-6f
                    && Math.abs(y[3] - probe[3]) < 1e-6f;
            return piecewiseLinear ? alpha : null;
        }

        private static String describe(Block block) {
            if (block instanceof LambdaBlock lambda) {
                return "LambdaBlock " + lambda.getName();
            }
            return block.getClass().getSimpleName();
        }
    }
}
