package io.ganserve.sampling;

import io.ganserve.gan.NetworkCost;
import io.ganserve.gan.NetworkSpec;

/**
 * The memory a sampling request holds, priced from the model and {@code n} before it runs.
 *
 * <p>Native: one chunk of at most {@link GeneratorSnapshot#CHUNK} samples through the generator at a
 * time (smaller for large generators, see {@link #chunkFitting}) (its activations, the pixel conversion's three arrays, the kernels' per-pass copies).
 * Heap: the generated floats and the copy a renderer makes of them (JSON rows, image tiles), and
 * the larger of the rendered picture with its encoding (at the grid's tile scale) and the JSON text.
 */
public final class SamplingCost {

    /** JSON writes a float as up to 12 characters with its separator. */
    private static final long JSON_BYTES_PER_FLOAT = 12;
    /** A scatter plot is drawn on a fixed canvas whatever the number of points. */
    private static final long PLOT_BYTES = 8L << 20;

    private SamplingCost() {}

    public static long nativeBytes(NetworkSpec spec, int n) {
        return nativeBytes(spec, n, GeneratorSnapshot.CHUNK);
    }

    /** A pass of {@code n} outputs run {@code chunkSize} at a time. */
    public static long nativeBytes(NetworkSpec spec, int n, int chunkSize) {
        NetworkCost cost = NetworkCost.of(spec);
        long chunk = Math.min(n, chunkSize);
        return Float.BYTES * (chunk * perSample(spec, cost) + NetworkCost.PASS_COPIES * cost.generatorParameters());
    }

    /**
     * The most samples, up to {@link GeneratorSnapshot#CHUNK}, that one pass can run at once within
     * {@code bytes}; at least 1, which {@link #nativeBytes} then prices above {@code bytes} when not
     * even one sample fits. A 64×64 DCGAN's 64-sample pass is priced at 301 MiB: under a small budget
     * its requests run in smaller chunks instead of being refused.
     */
    public static int chunkFitting(NetworkSpec spec, long bytes) {
        NetworkCost cost = NetworkCost.of(spec);
        long room = bytes / Float.BYTES - NetworkCost.PASS_COPIES * cost.generatorParameters();
        return (int) Math.max(1, Math.min(GeneratorSnapshot.CHUNK, room / perSample(spec, cost)));
    }

    private static long perSample(NetworkSpec spec, NetworkCost cost) {
        return cost.generatorActivations() + spec.generatorInputDim() + 3L * spec.sampleLength();
    }

    public static long heapBytes(NetworkSpec spec, int n, int tileScale) {
        long floats = 3L * n * spec.sampleLength() + (long) n * spec.generatorInputDim();
        long pictures;
        if (spec.isImage()) {
            long side = (long) spec.sampleShape().get(1) * tileScale;
            pictures = 2L * n * side * side * Integer.BYTES; // ARGB picture and its encoding, at worst as large
        } else {
            pictures = PLOT_BYTES;
        }
        long json = JSON_BYTES_PER_FLOAT * n * spec.sampleLength();
        return Float.BYTES * floats + Math.max(pictures, json);
    }
}
