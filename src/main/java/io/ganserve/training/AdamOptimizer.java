package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Adam over one block's trainable parameters, with its moment estimates held where a checkpoint
 * can reach them: DJL's own Adam keeps them private, and a run that resumes without them restarts
 * the optimiser cold. The update itself is libtorch's fused kernel, as in DJL's Adam.
 */
public final class AdamOptimizer implements GanOptimizer {

    private static final int MEAN = 0;
    private static final int VARIANCE = 1;

    private final Block block;
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon = 1e-8f;
    private final OptimizerState state;
    private long updates;

    public AdamOptimizer(Block block, NDManager parent, float learningRate, float beta1, float beta2) {
        this.block = block;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.state = new OptimizerState(block, parent, 2);
    }

    /** Applies one update from the accumulated gradients, then clears them. */
    @Override
    public void step(float learningRateFactor) {
        updates++;
        float rate = learningRate * learningRateFactor;
        double correction1 = 1 - Math.pow(beta1, updates);
        double correction2 = 1 - Math.pow(beta2, updates);
        float corrected = (float) (rate * Math.sqrt(correction2) / correction1);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray[] moments = state.of(p.getKey());
            if (moments == null) {
                continue;
            }
            PtNDArray weight = (PtNDArray) p.getValue().getArray();
            try (PtNDArray grad = (PtNDArray) weight.getGradient()) {
                JniUtils.adamUpdate(weight, grad, (PtNDArray) moments[MEAN], (PtNDArray) moments[VARIANCE],
                        rate, corrected, 0f, 1f, Float.POSITIVE_INFINITY, beta1, beta2, epsilon, false);
            }
            JniUtils.zeroGrad(weight);
        }
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        state.save(out, updates);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        updates = state.load(in);
    }

    @Override
    public void close() {
        state.close();
    }
}
