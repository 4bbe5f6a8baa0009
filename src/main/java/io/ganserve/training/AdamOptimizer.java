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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam over one block's trainable parameters, with its moment estimates held where a checkpoint
 * can reach them: DJL's own Adam keeps them private, and a run that resumes without them restarts
 * the optimiser cold. The update itself is libtorch's fused kernel, as in DJL's Adam.
 */
public final class AdamOptimizer implements AutoCloseable {

    private final Block block;
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon = 1e-8f;
    private final NDManager stateManager;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();
    private long updates;

    public AdamOptimizer(Block block, NDManager parent, float learningRate, float beta1, float beta2) {
        this.block = block;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.stateManager = parent.newSubManager();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                means.put(p.getKey(), p.getValue().getArray().zerosLike());
                variances.put(p.getKey(), p.getValue().getArray().zerosLike());
            }
        }
        means.values().forEach(a -> a.attach(stateManager));
        variances.values().forEach(a -> a.attach(stateManager));
    }

    /** Applies one update from the accumulated gradients, then clears them. */
    public void step(float learningRateFactor) {
        updates++;
        float rate = learningRate * learningRateFactor;
        double correction1 = 1 - Math.pow(beta1, updates);
        double correction2 = 1 - Math.pow(beta2, updates);
        float corrected = (float) (rate * Math.sqrt(correction2) / correction1);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray mean = means.get(p.getKey());
            if (mean == null) {
                continue;
            }
            PtNDArray weight = (PtNDArray) p.getValue().getArray();
            try (PtNDArray grad = (PtNDArray) weight.getGradient()) {
                JniUtils.adamUpdate(weight, grad, (PtNDArray) mean, (PtNDArray) variances.get(p.getKey()),
                        rate, corrected, 0f, 1f, Float.POSITIVE_INFINITY, beta1, beta2, epsilon, false);
            }
            JniUtils.zeroGrad(weight);
        }
    }

    public long updates() {
        return updates;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeLong(updates);
        out.writeInt(means.size());
        for (String id : means.keySet()) {
            out.writeUTF(id);
            writeArray(out, means.get(id));
            writeArray(out, variances.get(id));
        }
    }

    public void load(DataInputStream in) throws IOException {
        updates = in.readLong();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String id = in.readUTF();
            if (!means.containsKey(id)) {
                throw new IOException("optimizer state names unknown parameter " + id);
            }
            copyInto(means.get(id), in);
            copyInto(variances.get(id), in);
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private void copyInto(NDArray target, DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (NDArray saved = NDArray.decode(stateManager, bytes)) {
            if (!saved.getShape().equals(target.getShape())) {
                throw new IOException("optimizer state shape " + saved.getShape() + " != " + target.getShape());
            }
            target.set(saved.toByteBuffer());
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
