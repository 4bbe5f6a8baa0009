package io.ganserve.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RmsPropOptimizerTest {

    private static final float[] START = {0.5f, -1.0f, 2.0f};

    @BeforeEach
    void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    /** y = x·w with w (1 x n) starting at {@code start}: the gradient of sum(y) is sum of the rows of x. */
    private static Block weights(NDManager manager, float[] start) {
        Block block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer((m, shape, type) -> m.create(start, shape), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, start.length));
        return block;
    }

    private static NDArray weight(Block block) {
        return block.getParameters().get("weight").getArray();
    }

    /** Accumulates the gradient {@code gradient} into the block's weight. */
    private static void backward(Block block, NDManager manager, float[] gradient) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(gradient, new Shape(1, gradient.length));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(block.forward(new ParameterStore(step, false), new NDList(x), true).head().sum());
            }
        }
    }

    @Test
    void stepsMatchTheRmsPropUpdateAndClearTheGradient() {
        float lr = 0.01f;
        float rho = 0.99f;
        float[][] gradients = {{0.3f, -2.0f, 0.05f}, {-0.1f, 1.5f, 0.4f}};
        double[] w = {START[0], START[1], START[2]};
        double[] v = new double[3];
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = weights(manager, START);
            try (RmsPropOptimizer rmsProp = new RmsPropOptimizer(block, manager, lr, rho)) {
                for (float[] g : gradients) {
                    backward(block, manager, g);
                    rmsProp.step(0.5f);
                    for (int i = 0; i < 3; i++) {
                        v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                        w[i] -= 0.5 * lr * g[i] / (Math.sqrt(v[i]) + 1e-8);
                    }
                    float[] actual = weight(block).toFloatArray();
                    for (int i = 0; i < 3; i++) {
                        assertThat((double) actual[i]).as("weight %d", i).isCloseTo(w[i], within(1e-6));
                    }
                    assertThat(weight(block).getGradient().toFloatArray()).containsOnly(0f);
                }
                assertThat(rmsProp.updates()).isEqualTo(2);
            }
        }
    }

    @Test
    void savedStateLetsAnotherOptimizerContinueIdentically() throws Exception {
        float[][] gradients = {{0.3f, -2.0f, 0.05f}, {-0.1f, 1.5f, 0.4f}, {1.0f, 0.2f, -0.7f}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Block first = weights(manager, START);
            Block second = weights(manager, START);
            Block cold = weights(manager, START);
            try (RmsPropOptimizer a = new RmsPropOptimizer(first, manager, 0.01f, 0.99f);
                    RmsPropOptimizer b = new RmsPropOptimizer(second, manager, 0.01f, 0.99f);
                    RmsPropOptimizer c = new RmsPropOptimizer(cold, manager, 0.01f, 0.99f)) {
                for (float[] g : gradients) {
                    backward(first, manager, g);
                    a.step(1f);
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                first.saveParameters(out);
                a.save(out);
                for (Block resumed : new Block[] {second, cold}) {
                    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                    resumed.loadParameters(manager, in);
                    // loadParameters swaps in arrays that no longer ask autograd for gradients
                    weight(resumed).setRequiresGradient(true);
                    if (resumed == second) {
                        b.load(in);
                    }
                }
                assertThat(b.updates()).isEqualTo(a.updates());

                for (float[] g : gradients) {
                    backward(first, manager, g);
                    a.step(1f);
                    backward(second, manager, g);
                    b.step(1f);
                    backward(cold, manager, g);
                    c.step(1f);
                }
                assertThat(weight(second).toFloatArray()).containsExactly(weight(first).toFloatArray());
                assertThat(weight(cold).toFloatArray()).as("without the state it moves differently")
                        .isNotEqualTo(weight(first).toFloatArray());
                assertThat(b.updates()).isEqualTo(a.updates()).isEqualTo(6);
            }
        }
    }

    @Test
    void minimisesAQuadratic() {
        float[] target = {1.0f, -2.0f, 0.5f, 3.0f};
        int steps = 600;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = weights(manager, new float[4]);
            try (RmsPropOptimizer rmsProp = new RmsPropOptimizer(block, manager, 0.02f, 0.99f)) {
                double initial = squaredDistance(weight(block).toFloatArray(), target);
                for (int s = 0; s < steps; s++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDArray identity = step.eye(4); // rows pick out each weight: I·wᵀ = wᵀ
                        NDArray t = step.create(target, new Shape(4, 1));
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray y = block.forward(new ParameterStore(step, false), new NDList(identity), true)
                                    .head(); // 4 x 1
                            collector.backward(y.sub(t).square().sum()); // ‖w − t‖²
                        }
                    }
                    rmsProp.step(1f - (float) s / steps); // decay, or RMSProp circles the minimum at about lr
                }
                assertThat(squaredDistance(weight(block).toFloatArray(), target)).isLessThan(initial * 1e-4);
            }
        }
    }

    private static double squaredDistance(float[] w, float[] target) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += (w[i] - target[i]) * (w[i] - target[i]);
        }
        return s;
    }
}
