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
    private final float clipGradient;

    public AdamOptimizer(Block block, NDManager parent, float learningRate, float beta1, float beta2) {
        this(block, parent, learningRate, beta1, beta2, Float.POSITIVE_INFINITY);
    }

    /**
     * @param clipGradient every gradient element is clipped to [−c, c] before the update. A gradient
     *     above about 1.8e19 squares to infinity in float32; the second moment then stays infinite
     *     (β2·∞ = ∞) and the weight never moves again. A finite clip far above any ordinary gradient
     *     keeps one exploding step from freezing a network for the rest of the run.
     */
    public AdamOptimizer(Block block, NDManager parent, float learningRate, float beta1, float beta2,
                         float clipGradient) {
        super(block, parent, learningRate, 2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.clipGradient = clipGradient;
    }

    @Override
    void update(PtNDArray weight, NDArray[] moments, float rate, long updateNumber) {
        double correction1 = 1 - Math.pow(beta1, updateNumber);
        double correction2 = 1 - Math.pow(beta2, updateNumber);
        float corrected = (float) (rate * Math.sqrt(correction2) / correction1);
        try (PtNDArray grad = (PtNDArray) weight.getGradient()) {
            JniUtils.adamUpdate(weight, grad, (PtNDArray) moments[MEAN], (PtNDArray) moments[VARIANCE],
                    rate, corrected, 0f, 1f, clipGradient, beta1, beta2, EPSILON, false);
        }
    }
}
