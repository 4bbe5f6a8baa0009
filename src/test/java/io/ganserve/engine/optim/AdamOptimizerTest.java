package io.ganserve.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {

    @BeforeEach
    void engine() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    private static Block weights(NDManager manager) {
        Block block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer((m, shape, type) -> m.create(new float[] {0.5f, -1f}, shape), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        return block;
    }

    private static void backward(Block block, NDManager manager, float scale) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(new float[] {scale, -scale}, new Shape(1, 2));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(block.forward(new ParameterStore(step, false), new NDList(x), true).head().sum());
            }
        }
    }

    /** Runs one exploding step (gradient 1e30) and then ordinary ones; how far the weights moved after it. */
    private static double movedAfterExplosion(float clip) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = weights(manager);
            try (AdamOptimizer adam = new AdamOptimizer(block, manager, 0.01f, 0.5f, 0.999f, clip)) {
                backward(block, manager, 1e30f);
                adam.step(1f);
                float[] after = block.getParameters().get("weight").getArray().toFloatArray();
                for (int i = 0; i < 10; i++) {
                    backward(block, manager, 0.3f);
                    adam.step(1f);
                }
                float[] later = block.getParameters().get("weight").getArray().toFloatArray();
                assertThat(later).doesNotContain(Float.NaN);
                return Math.abs(later[0] - after[0]) + Math.abs(later[1] - after[1]);
            }
        }
    }

    @Test
    void oneExplodingGradientFreezesUnclippedAdamForGoodAndAClipKeepsItLearning() {
        assertThat(movedAfterExplosion(Float.POSITIVE_INFINITY)).as("v = inf: every later update is 0").isZero();
        assertThat(movedAfterExplosion(100f)).as("clipped: ten ordinary steps move the weights").isGreaterThan(1e-3);
    }
}
