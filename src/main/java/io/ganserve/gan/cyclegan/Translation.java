package io.ganserve.gan.cyclegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.ganserve.engine.GradModeOff;

/** Runs a trained generator over images held on the heap, in chunks, without autograd. */
public final class Translation {

    /** Images per pass: bounds the native memory of a pass whatever {@code n} a caller asks for. */
    public static final int CHUNK = 64;

    private Translation() {}

    /**
     * {@code n} images (row-major, C x H x W each, in [-1, 1]) through {@code generator}; the result
     * has the same layout. Every array of the passes lives and dies in a sub-manager of {@code manager}.
     */
    public static float[] run(Block generator, TranslatorSpec spec, NDManager manager, float[] images, int n) {
        int length = spec.imageLength();
        if (images.length < (long) n * length) {
            throw new IllegalArgumentException(images.length + " floats hold fewer than " + n + " images of " + length);
        }
        float[] out = new float[n * length];
        try (GradModeOff noGraph = new GradModeOff()) {
            for (int from = 0; from < n; from += CHUNK) {
                int count = Math.min(CHUNK, n - from);
                try (NDManager pass = manager.newSubManager()) {
                    float[] chunk = new float[count * length];
                    System.arraycopy(images, from * length, chunk, 0, chunk.length);
                    NDArray x = pass.create(chunk, CycleGanNetworks.imageShape(spec, count));
                    NDArray y = generator.forward(new ParameterStore(pass, false), new NDList(x), false)
                            .singletonOrThrow();
                    System.arraycopy(y.toFloatArray(), 0, out, from * length, count * length);
                }
            }
        }
        return out;
    }
}
