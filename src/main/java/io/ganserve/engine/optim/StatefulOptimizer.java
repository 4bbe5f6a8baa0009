package io.ganserve.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.engine.GradModeOff;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What Adam and RMSProp share: per-parameter buffers that checkpoints save, an update count, and
 * the loop that applies an update to every trainable parameter and then clears its gradient (a
 * custom optimiser in DJL's PyTorch engine must clear gradients itself).
 */
abstract class StatefulOptimizer implements GanOptimizer {

    private final Block block;
    private final float learningRate;
    private final OptimizerState state;
    private long updates;

    StatefulOptimizer(Block block, NDManager parent, float learningRate, int buffersPerParameter) {
        this.block = block;
        this.learningRate = learningRate;
        this.state = new OptimizerState(block, parent, buffersPerParameter);
    }

    /** Updates one parameter in place from its gradient and its buffers. */
    abstract void update(PtNDArray weight, NDArray[] buffers, float rate, long updateNumber);

    @Override
    public final void step(float learningRateFactor) {
        updates++;
        float rate = learningRate * learningRateFactor;
        // In-place arithmetic on a leaf that requires grad is only legal with autograd off; do not
        // depend on the calling thread having turned it off.
        try (GradModeOff off = new GradModeOff()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray[] own = state.of(p.getKey());
                if (own == null) {
                    continue;
                }
                PtNDArray weight = (PtNDArray) p.getValue().getArray();
                update(weight, own, rate, updates);
                JniUtils.zeroGrad(weight);
            }
        }
    }

    @Override
    public final long updates() {
        return updates;
    }

    @Override
    public final void save(DataOutputStream out) throws IOException {
        state.save(out, updates);
    }

    @Override
    public final void load(DataInputStream in) throws IOException {
        updates = state.load(in);
    }

    @Override
    public final void close() {
        state.close();
    }
}
