package io.ganserve.engine.optim;

import io.ganserve.engine.NativeArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimiser's per-parameter buffers (Adam's two moments, RMSProp's mean square), keyed by the
 * parameter's path in the block, on a manager of their own, and their checkpoint encoding: the
 * update count, then each parameter's name and buffers in order.
 */
final class OptimizerState implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray[]> buffers = new LinkedHashMap<>();

    /** Zeroed buffers, {@code perParameter} of them for each parameter that requires a gradient. */
    OptimizerState(Block block, NDManager parent, int perParameter) {
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray[] own = new NDArray[perParameter];
                for (int i = 0; i < perParameter; i++) {
                    own[i] = p.getValue().getArray().zerosLike();
                    own[i].attach(manager); // zerosLike lands on the parameter's manager
                }
                buffers.put(p.getKey(), own);
            }
        }
    }

    /** The buffers of the parameter at {@code path}, or null where that parameter is not trained. */
    NDArray[] of(String path) {
        return buffers.get(path);
    }

    void save(DataOutputStream out, long updates) throws IOException {
        out.writeLong(updates);
        out.writeInt(buffers.size());
        for (Map.Entry<String, NDArray[]> entry : buffers.entrySet()) {
            out.writeUTF(entry.getKey());
            for (NDArray buffer : entry.getValue()) {
                byte[] bytes = buffer.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Reads what {@link #save} wrote into the buffers, and returns the update count it held. */
    long load(DataInputStream in) throws IOException {
        long updates = in.readLong();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String path = in.readUTF();
            NDArray[] own = buffers.get(path);
            if (own == null) {
                throw new IOException("optimizer state names unknown parameter " + path);
            }
            for (NDArray buffer : own) {
                copyInto(buffer, in);
            }
        }
        return updates;
    }

    private void copyInto(NDArray target, DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (NDArray saved = NDArray.decode(manager, bytes)) {
            if (!saved.getShape().equals(target.getShape())) {
                throw new IOException("optimizer state shape " + saved.getShape() + " != " + target.getShape());
            }
            NativeArrays.copy(saved, target);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
