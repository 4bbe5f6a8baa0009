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
 * RMSProp as WGAN (Arjovsky et al. 2017) trains with it: no momentum, not centred, PyTorch's
 * defaults otherwise (ε 1e-8 outside the root). The paper avoids momentum because the critic's
 * loss is non-stationary and Adam made its training unstable. DJL's PyTorch engine has no RMSProp,
 * so the update is written out; the mean squares are kept where a checkpoint can reach them.
 *
 * <p>Per parameter: v ← ρ·v + (1 − ρ)·g², w ← w − lr·g / (√v + ε).
 */
public final class RmsPropOptimizer implements GanOptimizer {

    private static final float EPSILON = 1e-8f;

    private final Block block;
    private final float learningRate;
    private final float rho;
    private final OptimizerState state;
    private long updates;

    /**
     * @param learningRate WGAN's is 5e-5
     * @param rho decay of the mean square (PyTorch's {@code alpha}), 0.99 by PyTorch's default
     */
    public RmsPropOptimizer(Block block, NDManager parent, float learningRate, float rho) {
        if (!(rho >= 0 && rho < 1)) {
            throw new IllegalArgumentException("rho must be in [0, 1): " + rho);
        }
        this.block = block;
        this.learningRate = learningRate;
        this.rho = rho;
        this.state = new OptimizerState(block, parent, 1);
    }

    @Override
    public void step(float learningRateFactor) {
        updates++;
        float rate = learningRate * learningRateFactor;
        // In-place arithmetic on a leaf that requires grad is only legal with autograd off; do not
        // depend on the calling thread having turned it off.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray[] own = state.of(p.getKey());
                if (own == null) {
                    continue;
                }
                PtNDArray weight = (PtNDArray) p.getValue().getArray();
                update(weight, own[0], rate);
                JniUtils.zeroGrad(weight);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private void update(PtNDArray weight, NDArray meanSquare, float rate) {
        // The gradient and what is computed from it land on the parameter's manager: close each.
        try (NDArray grad = weight.getGradient();
                NDArray squared = grad.square()) {
            meanSquare.muli(rho).addi(squared.muli(1 - rho));
            try (NDArray root = meanSquare.sqrt();
                    NDArray delta = grad.div(root.addi(EPSILON)).muli(rate)) {
                weight.subi(delta);
            }
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
