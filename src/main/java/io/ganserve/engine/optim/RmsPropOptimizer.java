package io.ganserve.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;

/**
 * RMSProp as WGAN (Arjovsky et al. 2017) trains with it: no momentum, not centred, PyTorch's
 * defaults otherwise (ε 1e-8 outside the root). The paper avoids momentum because the critic's
 * loss is non-stationary and Adam made its training unstable. DJL's PyTorch engine has no RMSProp,
 * so the update is written out; the mean squares are kept where a checkpoint can reach them.
 *
 * <p>Per parameter: v ← ρ·v + (1 − ρ)·g², w ← w − lr·g / (√v + ε).
 */
public final class RmsPropOptimizer extends StatefulOptimizer {

    private static final float EPSILON = 1e-8f;

    private final float rho;

    /**
     * @param learningRate WGAN's is 5e-5
     * @param rho decay of the mean square (PyTorch's {@code alpha}), 0.99 by PyTorch's default
     */
    public RmsPropOptimizer(Block block, NDManager parent, float learningRate, float rho) {
        super(block, parent, learningRate, 1);
        if (!(rho >= 0 && rho < 1)) {
            throw new IllegalArgumentException("rho must be in [0, 1): " + rho);
        }
        this.rho = rho;
    }

    @Override
    void update(PtNDArray weight, NDArray[] buffers, float rate, long updateNumber) {
        NDArray meanSquare = buffers[0];
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
}
