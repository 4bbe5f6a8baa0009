package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/**
 * A generator run over many inputs a pass at a time, each pass's activations freed before the
 * next: DJL keeps every intermediate array until its manager closes, so one pass over n inputs
 * would hold n samples' activations at once.
 */
public final class ChunkedForward {

    private ChunkedForward() {}

    /**
     * @param inputs n rows of {@code width} generator inputs, row after row
     * @return the outputs (inference mode), attached to {@code target}
     */
    public static NDArray run(Block generator, NDManager target, float[] inputs, int n, int width, int pass) {
        NDList parts = new NDList();
        try (NDManager chunks = target.newSubManager()) {
            for (int from = 0; from < n; from += pass) {
                int m = Math.min(pass, n - from);
                try (NDManager one = chunks.newSubManager()) {
                    NDArray z = one.create(Arrays.copyOfRange(inputs, from * width, (from + m) * width), new Shape(m, width));
                    NDArray out = generator.forward(new ParameterStore(one, false), new NDList(z), false).singletonOrThrow();
                    out.attach(chunks);
                    parts.add(out);
                }
            }
            NDArray all = parts.size() == 1 ? parts.head() : NDArrays.concat(parts);
            all.attach(target);
            return all;
        }
    }
}
