package io.ganserve.data;

import java.util.Objects;
import java.util.Random;

/**
 * A Gaussian mixture materialized once from a seed, so every epoch sees the same points and a
 * run can be reproduced. The label of a point is the mode it was drawn from.
 */
public final class PointDataset implements Dataset {

    private static final int DIMENSIONS = 2;

    private final GaussianMixture mixture;
    private final float[] coordinates;
    private final int[] modeOfPoint;

    public PointDataset(GaussianMixture mixture, int size, long seed) {
        this.mixture = Objects.requireNonNull(mixture, "mixture");
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        Random rng = new Random(seed);
        this.coordinates = new float[size * DIMENSIONS];
        this.modeOfPoint = new int[size];
        for (int i = 0; i < size; i++) {
            modeOfPoint[i] = mixture.drawInto(rng, coordinates, i * DIMENSIONS);
        }
    }

    public GaussianMixture mixture() {
        return mixture;
    }

    @Override
    public String name() {
        return mixture.name();
    }

    @Override
    public DataKind kind() {
        return DataKind.POINTS;
    }

    @Override
    public int[] sampleShape() {
        return new int[] {DIMENSIONS};
    }

    @Override
    public int sampleLength() {
        return DIMENSIONS;
    }

    @Override
    public int size() {
        return modeOfPoint.length;
    }

    @Override
    public int numClasses() {
        return mixture.modeCount();
    }

    @Override
    public int label(int index) {
        return modeOfPoint[Objects.checkIndex(index, modeOfPoint.length)];
    }

    @Override
    public void copySample(int index, float[] dst, int offset) {
        Objects.checkIndex(index, modeOfPoint.length);
        System.arraycopy(coordinates, index * DIMENSIONS, dst, offset, DIMENSIONS);
    }
}
