package io.ganserve.training.cyclegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ganserve.data.Dataset;
import java.util.Random;

/**
 * A batch from each domain, drawn independently: CycleGAN learns from unpaired sets, so even where
 * the two sets hold the same subjects (the emoji vendors do) nothing tells the step which image of
 * B belongs to which of A. Each step's draw is a function of (seed, step), so a resumed run sees
 * the batches an uninterrupted one would have.
 */
final class UnpairedBatches {

    private final Dataset a;
    private final Dataset b;
    private final int batchSize;
    private final long seed;

    UnpairedBatches(Dataset a, Dataset b, int batchSize, long seed) {
        this.a = a;
        this.b = b;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** The two batches of step {@code step}, on {@code manager}. */
    NDArray[] draw(long step, NDManager manager) {
        Random random = random(step, 0);
        return new NDArray[] {batch(a, random, manager), batch(b, random, manager)};
    }

    /** A generator for the step's other random choices (the image pools), apart from the batches'. */
    Random random(long step, int stream) {
        return new Random(seed * 0x9E3779B97F4A7C15L + step * 31 + stream);
    }

    private NDArray batch(Dataset data, Random random, NDManager manager) {
        int length = data.sampleLength();
        float[] pixels = new float[batchSize * length];
        for (int i = 0; i < batchSize; i++) {
            data.copySample(random.nextInt(data.size()), pixels, i * length);
        }
        int[] shape = data.sampleShape();
        return manager.create(pixels, new ai.djl.ndarray.types.Shape(batchSize, shape[0], shape[1], shape[2]));
    }

    /** Passes over the larger domain so far. */
    double epochAt(long step) {
        return (double) step * batchSize / Math.max(a.size(), b.size());
    }
}
