package io.ganserve.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Adam over one block's trainable parameters, with its moment estimates held where a checkpoint
 * can reach them: DJL's own Adam keeps them private, and a run that resumes without them restarts
 * the optimiser cold. The update itself is libtorch's fused kernel, as in DJL's Adam.
 */
public final class AdamOptimizer extends StatefulOptimizer {

    private static final int MEAN = 0;
    private static final int VARIANCE = 1;
    private static final float EPSILON = 1e-8f;

    private final float beta1;
    private final float beta2;

    public AdamOptimizer(Block block, NDManager parent, float learningRate, float beta1, float beta2) {
        super(block, parent, learningRate, 2);
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override
    void update(PtNDArray weight, NDArray[] moments, float rate, long updateNumber) {
        double correction1 = 1 - Math.pow(beta1, updateNumber);
        double correction2 = 1 - Math.pow(beta2, updateNumber);
        float corrected = (float) (rate * Math.sqrt(correction2) / correction1);
        try (PtNDArray grad = (PtNDArray) weight.getGradient()) {
            JniUtils.adamUpdate(weight, grad, (PtNDArray) moments[MEAN], (PtNDArray) moments[VARIANCE],
                    rate, corrected, 0f, 1f, Float.POSITIVE_INFINITY, beta1, beta2, EPSILON, false);
        }
    }
}
