package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.ganserve.engine.GradModeOff;
import ai.djl.training.initializer.Initializer;

/**
 * Spectral normalisation (Miyato et al. 2018), shared by {@link SpectralLinear} and
 * {@link SpectralConv2d}: the weight is divided by a running estimate of its largest singular
 * value, so each layer is (about) 1-Lipschitz and the discriminator cannot sharpen without bound.
 *
 * <p>The estimate comes from one power iteration per training forward on the kernel seen as a
 * matrix W (out, in·kh·kw), warm-started from a persistent left singular vector u. That vector is
 * a non-trainable parameter rather than a field so that {@code saveParameters} writes it: a run
 * resumed without it would normalise by a cold, poor estimate for its first steps.
 */
final class SpectralNorm {

    /** PyTorch's {@code F.normalize} floor, so a zero vector stays zero instead of turning NaN. */
    private static final double EPSILON = 1e-12;

    private SpectralNorm() {}

    /** The persistent estimate u (out): a unit vector, never touched by autograd or an optimiser. */
    static Parameter leftVector() {
        // OTHER keeps it out of type-based initialisers (N(0, 0.02) on WEIGHT would still work,
        // but ZEROS on everything would not) and out of trainers that freeze WEIGHT and BIAS.
        return Parameter.builder()
                .setName("u")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new UnitGaussian())
                .optRequiresGrad(false)
                .build();
    }

    /**
     * Returns W / σ in the weight's own shape, every result attached to {@code scratch}.
     *
     * <p>In training, v = Wᵀu/‖Wᵀu‖ and u' = Wv/‖Wv‖ are computed with autograd off, as the
     * paper's backward treats them as constants, and σ = u'ᵀWv keeps its gradient through W; u'
     * then replaces u's values. In inference u is only read, which makes σ = ‖Wᵀu‖.
     *
     * @param weight the layer's kernel, (out, ...)
     * @param u the parameter's array, (out); updated in place when training
     */
    static NDArray normalise(NDArray weight, NDArray u, boolean training, NDManager scratch) {
        long out = weight.getShape().get(0);
        // Results of ops on parameters land on the parameter's manager and would pile up there
        // across steps, so each one is moved to the step's manager at once.
        NDArray matrix = onto(weight.reshape(out, -1), scratch); // out x m, m = in·kh·kw
        NDArray left;
        NDArray right;
        try (GradModeOff off = new GradModeOff()) {
            // Never let the graph hold u's own storage: it is overwritten below (and by every later
            // training forward before this graph's backward, e.g. D on real then on fake).
            NDArray start = onto(u.duplicate(), scratch); // out
            right = start.matMul(matrix).normalize(2, 0, EPSILON); // m
            if (training) {
                left = matrix.matMul(right).normalize(2, 0, EPSILON); // out
                // In place rather than a new array: the Parameter cannot be given a new array, and
                // grad mode is off, so this also works if someone unfroze u.
                u.set(new NDIndex(":"), left);
            } else {
                left = start;
            }
        }
        NDArray sigma = left.matMul(matrix).dot(right); // scalar, differentiable through W only
        return matrix.div(sigma).reshape(weight.getShape()); // weight's shape
    }

    static NDArray onto(NDArray array, NDManager scratch) {
        array.attach(scratch);
        return array;
    }

    /** N(0, 1) scaled to unit length: a random start with no preferred direction. */
    private static final class UnitGaussian implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            try (NDArray gaussian = manager.randomNormal(0f, 1f, shape, dataType, manager.getDevice())) {
                return gaussian.normalize(2, 0, EPSILON);
            }
        }
    }
}
