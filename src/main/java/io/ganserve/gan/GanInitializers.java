package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/** The DCGAN paper's initialisation: weights N(0, 0.02), batch-norm scale N(1, 0.02), shifts 0. */
final class GanInitializers {

    private static final float SIGMA = 0.02f;

    private GanInitializers() {}

    static void apply(Block block) {
        block.setInitializer(new NormalInitializer(SIGMA), Parameter.Type.WEIGHT);
        block.setInitializer(new ScaleInitializer(), Parameter.Type.GAMMA);
    }

    /** N(1, σ): a batch norm that starts as (almost) the identity. */
    private static final class ScaleInitializer implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            return manager.randomNormal(1f, SIGMA, shape, dataType, manager.getDevice());
        }
    }
}
