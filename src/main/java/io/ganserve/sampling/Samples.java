package io.ganserve.sampling;

import io.ganserve.registry.ModelInfo;
import java.util.List;

/**
 * Generator outputs in data space: coordinates for points, pixels in [0, 1] for images, laid out
 * sample after sample.
 *
 * @param step the generator step the weights are from
 * @param sampleShape {@code [2]} for points, {@code [C, H, W]} for images
 */
public record Samples(ModelInfo model, long step, int count, List<Integer> sampleShape, float[] data) {

    public Samples {
        sampleShape = List.copyOf(sampleShape);
    }

    public int sampleLength() {
        return sampleShape.stream().reduce(1, (a, b) -> a * b);
    }

    /** Sample {@code i} as a flat vector. */
    public float[] sample(int i) {
        int length = sampleLength();
        float[] out = new float[length];
        System.arraycopy(data, i * length, out, 0, length);
        return out;
    }

    public boolean isImage() {
        return sampleShape.size() == 3;
    }
}
