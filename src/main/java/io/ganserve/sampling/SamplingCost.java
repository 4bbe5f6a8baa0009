package io.ganserve.sampling;

import io.ganserve.gan.NetworkCost;
import io.ganserve.gan.NetworkSpec;

/**
 * The memory a sampling request holds, priced from the model and {@code n} before it runs.
 *
 * <p>Native: one chunk of {@link GeneratorSnapshot#CHUNK} samples through the generator at a
 * time (its activations, the pixel conversion's three arrays, the kernels' per-pass copies).
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
        NetworkCost cost = NetworkCost.of(spec);
        long chunk = Math.min(n, GeneratorSnapshot.CHUNK);
        long perSample = cost.generatorActivations() + spec.generatorInputDim() + 3L * spec.sampleLength();
        return Float.BYTES * (chunk * perSample + NetworkCost.PASS_COPIES * cost.generatorParameters());
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
