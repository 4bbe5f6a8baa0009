package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ganserve.engine.optim.AdamOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpectralNormTest {

    private static final int BATCH = 32;
    /** 3 x 2 x 4 images: the stride-2 convolution makes 8 x 1 x 2 = 16 features for the linear layer. */
    private static final Shape INPUT = new Shape(BATCH, 3, 2, 4);

    /** A small critic: SN conv (3 -> 8, k4 s2 p1), SN linear (16 -> 8), plain linear (8 -> 1). */
    private record Critic(SequentialBlock block, SpectralConv2d conv, SpectralLinear linear) {
        static Critic create(NDManager manager) {
            SpectralConv2d conv = new SpectralConv2d(8, 4, 2, 1, true);
            SpectralLinear linear = new SpectralLinear(8);
            SequentialBlock block = new SequentialBlock()
                    .add(conv) // N x 8 x 1 x 2
                    .add(Activation.leakyReluBlock(0.2f))
                    .add(Blocks.batchFlattenBlock()) // N x 16
                    .add(linear) // N x 8
                    .add(Activation.leakyReluBlock(0.2f))
                    .add(Linear.builder().setUnits(1).build()); // N x 1
            block.initialize(manager, DataType.FLOAT32, INPUT);
            return new Critic(block, conv, linear);
        }
    }

    /** A fixed regression problem: random images, random targets. */
    private static final float[] IMAGES = gaussian(new Random(11), (int) INPUT.size());
    private static final float[] TARGETS = gaussian(new Random(12), BATCH);

    @BeforeEach
    void engine() {
        Engine.getInstance().setRandomSeed(42);
        JniUtils.setGradMode(false); // thread-local; collectors turn it on only while open
    }

    @Test
    void normalisedWeightsHaveUnitSpectralNormAfterTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Critic critic = Critic.create(manager);
            try (AdamOptimizer adam = new AdamOptimizer(critic.block(), manager, 1e-2f, 0.5f, 0.999f)) {
                float first = trainStep(critic.block(), manager, adam);
                float last = first;
                for (int i = 1; i < 200; i++) {
                    last = trainStep(critic.block(), manager, adam);
                }
                assertThat(last).as("the critic learns something").isLessThan(first);
            }
            try (NDManager m = manager.newSubManager()) {
                NDArray images = m.randomNormal(new Shape(4, 3, 2, 4));
                NDArray convWeight = weight(critic.conv());
                NDArray raw = Conv2d.conv2d(images, convWeight, null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1))
                        .head();
                assertThat(normalisedSpectralNorm(critic.conv(), convWeight, images, raw, m))
                        .isCloseTo(1.0, within(0.05));

                NDArray features = m.randomNormal(new Shape(4, 16));
                NDArray linearWeight = weight(critic.linear());
                NDArray rawLinear = Linear.linear(features, linearWeight).head();
                assertThat(normalisedSpectralNorm(critic.linear(), linearWeight, features, rawLinear, m))
                        .isCloseTo(1.0, within(0.05));
            }
        }
    }

    @Test
    void theSingularVectorEstimateTravelsWithTheParameters() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Critic trained = Critic.create(manager);
            float[] initialU = u(trained.conv()).toFloatArray();
            try (AdamOptimizer adam = new AdamOptimizer(trained.block(), manager, 1e-2f, 0.5f, 0.999f)) {
                for (int i = 0; i < 5; i++) {
                    trainStep(trained.block(), manager, adam);
                }
            }
            assertThat(u(trained.conv()).toFloatArray()).as("training forwards move u").isNotEqualTo(initialU);
            assertThat(trained.block().getParameters().keys()).contains("01SpectralConv2d_u", "04SpectralLinear_u");

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.block().saveParameters(new DataOutputStream(bytes));
            Critic fresh = Critic.create(manager);
            assertThat(u(fresh.conv()).toFloatArray()).isNotEqualTo(u(trained.conv()).toFloatArray());
            fresh.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

            assertThat(u(fresh.conv()).toFloatArray()).containsExactly(u(trained.conv()).toFloatArray());
            assertThat(u(fresh.linear()).toFloatArray()).containsExactly(u(trained.linear()).toFloatArray());
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(IMAGES, INPUT);
                float[] expected = inference(trained.block(), x, m).toFloatArray();
                float[] actual = inference(fresh.block(), x, m).toFloatArray();
                assertThat(actual).containsExactly(expected);
            }
        }
    }

    @Test
    void gradientsReachTheWeightsButNotTheSingularVector() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Critic critic = Critic.create(manager);
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(IMAGES, INPUT);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray out = critic.block().forward(new ParameterStore(m, false), new NDList(x), true).head();
                    collector.backward(out.square().mean());
                }
                for (Block layer : new Block[] {critic.conv(), critic.linear()}) {
                    Parameter u = layer.getParameters().get("u");
                    assertThat(u.requiresGradient()).isFalse();
                    assertThat(u.getArray().hasGradient()).isFalse();

                    NDArray w = layer.getParameters().get("weight").getArray();
                    double[] g = doubles(w.getGradient().toFloatArray());
                    double[] weights = doubles(w.toFloatArray());
                    assertThat(norm(g)).as("%s weight gradient", layer).isGreaterThan(0);
                    // W/σ with σ = uᵀWv does not change when W is scaled, so a gradient that went
                    // through σ is orthogonal to W; one that treated σ as a constant is not.
                    assertThat(dot(g, weights) / (norm(g) * norm(weights))).as("%s", layer)
                            .isCloseTo(0.0, within(1e-4));
                }
            }
        }
    }

    @Test
    void trainingStepsLeaveNothingOnTheParameterManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Critic critic = Critic.create(manager);
            try (AdamOptimizer adam = new AdamOptimizer(critic.block(), manager, 1e-3f, 0.5f, 0.999f)) {
                trainStep(critic.block(), manager, adam); // first use may create lasting state
                int before = manager.getManagedArrays().size();
                for (int i = 0; i < 50; i++) {
                    trainStep(critic.block(), manager, adam);
                    try (NDManager step = manager.newSubManager()) {
                        inference(critic.block(), step.create(IMAGES, INPUT), step);
                    }
                }
                assertThat(manager.getManagedArrays().size()).isEqualTo(before);
            }
        }
    }

    /** One Adam step on the regression loss, everything transient on a per-step manager. */
    private static float trainStep(Block block, NDManager manager, AdamOptimizer adam) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(IMAGES, INPUT);
            NDArray y = step.create(TARGETS, new Shape(BATCH, 1));
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = block.forward(new ParameterStore(step, false), new NDList(x), true).head();
                NDArray loss = out.sub(y).square().mean();
                collector.backward(loss);
                value = loss.getFloat();
            }
            adam.step(1f);
            return value;
        }
    }

    private static NDArray inference(Block block, NDArray x, NDManager m) {
        return block.forward(new ParameterStore(m, false), new NDList(x), false).head();
    }

    private static NDArray weight(Block layer) {
        return layer.getParameters().get("weight").getArray();
    }

    private static NDArray u(Block layer) {
        return layer.getParameters().get("u").getArray();
    }

    /**
     * σ_max(W/σ) for the σ the layer divides by, measured without u: the layer maps x to
     * x·(W/σ) + b, so σ = ‖x·W‖ / ‖layer(x) − layer(0)‖, and σ_max(W) comes from a long power
     * iteration in doubles.
     */
    private static double normalisedSpectralNorm(Block layer, NDArray w, NDArray x, NDArray raw, NDManager m) {
        double[] withInput = doubles(inference(layer, x, m).toFloatArray());
        double[] withZeros = doubles(inference(layer, x.zerosLike(), m).toFloatArray());
        for (int i = 0; i < withInput.length; i++) {
            withInput[i] -= withZeros[i];
        }
        double sigma = norm(doubles(raw.toFloatArray())) / norm(withInput);
        return largestSingularValue(doubles(w.toFloatArray()), (int) w.getShape().get(0)) / sigma;
    }

    /** Power iteration on WᵀW for the kernel seen as a (rows x rest) matrix. */
    private static double largestSingularValue(double[] w, int rows) {
        int cols = w.length / rows;
        double[] v = doubles(gaussian(new Random(5), cols));
        double[] wv = new double[rows];
        for (int iteration = 0; iteration < 500; iteration++) {
            double length = norm(v);
            for (int j = 0; j < cols; j++) {
                v[j] /= length;
            }
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += w[i * cols + j] * v[j];
                }
                wv[i] = s;
            }
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += w[i * cols + j] * wv[i];
                }
                v[j] = s;
            }
        }
        return Math.sqrt(norm(v)); // ‖WᵀWv‖ for unit v converges to σ_max²
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double[] doubles(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
