package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ganserve.data.Dataset;

/**
 * What generated images of one dataset are compared with: the dataset's own classifier (null for
 * an unlabelled folder), real feature statistics of both splits, the real test features for
 * precision/recall, and the pixels Parzen windows are judged on. All native memory lives in one
 * manager, freed by {@link #close()}.
 */
final class ReferenceData implements AutoCloseable {

    /** Real images per split used for statistics: the (and FID's) customary 10,000. */
    static final int MAX_REAL = 10_000;
    /** Validation images for choosing the Parzen window's σ, from the train split, as in the GAN paper. */
    static final int PARZEN_VALIDATION = 1_000;
    private static final int CHUNK = 500;

    private final NDManager manager;
    private final FeatureClassifier classifier;
    private final FeatureStatistics testStatistics;
    private final NDArray testFeatures;
    private final double floor;
    private final NDArray testPixels;
    private final NDArray validationPixels;
    private final Dataset train;
    private NDArray trainPixels;
    private NDArray trainFeatures;

    ReferenceData(Dataset train, Dataset test, FeatureClassifier classifier, NDManager parent) {
        this.manager = parent.newSubManager();
        this.classifier = classifier;
        this.train = train;
        this.testPixels = unitPixels(test, 0, Math.min(MAX_REAL, test.size()));
        // validation from the far end of the train split, away from the images the floor uses
        int validation = Math.min(PARZEN_VALIDATION, train.size());
        this.validationPixels = unitPixels(train, train.size() - validation, validation);
        if (classifier != null) {
            this.testFeatures = features(test, Math.min(MAX_REAL, test.size()));
            this.testStatistics = FeatureStatistics.of(testFeatures);
            try (NDArray trainFeatures = features(train, Math.min(MAX_REAL, train.size()))) {
                this.floor = FrechetDistance.between(FeatureStatistics.of(trainFeatures), testStatistics);
            }
        } else {
            this.testFeatures = null;
            this.testStatistics = null;
            this.floor = Double.NaN;
        }
    }

    FeatureClassifier classifier() {
        return classifier;
    }

    FeatureStatistics testStatistics() {
        return testStatistics;
    }

    NDArray testFeatures() {
        return testFeatures;
    }

    /** FD between the real train and test splits: the floor a generator's FD is read against. */
    double floor() {
        return floor;
    }

    NDArray testPixels() {
        return testPixels;
    }

    NDArray validationPixels() {
        return validationPixels;
    }

    Dataset train() {
        return train;
    }

    /** The whole train split, flattened, pixels in [0, 1]: built on the first nearest-neighbour request. */
    NDArray trainPixels() {
        if (trainPixels == null) {
            trainPixels = unitPixels(train, 0, train.size());
        }
        return trainPixels;
    }

    /** The whole train split's features (null without a classifier): built on first use. */
    NDArray trainFeatures() {
        if (trainFeatures == null && classifier != null) {
            trainFeatures = features(train, train.size());
        }
        return trainFeatures;
    }

    /** Features of the first {@code n} images of {@code data}, N x F, in this reference's manager. */
    private NDArray features(Dataset data, int n) {
        NDArray all = null;
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray part = classifier.features(images(data, from, count, scratch));
                NDArray joined = all == null ? part : all.concat(part, 0);
                joined.attach(manager);
                if (all != null) {
                    all.close();
                }
                all = joined;
            }
        }
        return all;
    }

    /** Images {@code from .. from + n} flattened to N x (C·H·W) with pixels in [0, 1], as Parzen windows use them. */
    private NDArray unitPixels(Dataset data, int from, int n) {
        float[] values = samples(data, from, n);
        for (int i = 0; i < values.length; i++) {
            values[i] = (values[i] + 1) / 2;
        }
        return manager.create(values, new Shape(n, data.sampleLength()));
    }

    static NDArray images(Dataset data, int from, int n, NDManager manager) {
        int[] shape = data.sampleShape();
        return manager.create(samples(data, from, n), new Shape(n, shape[0], shape[1], shape[2]));
    }

    /** Samples {@code from .. from + n}, row after row, in the model's range. */
    private static float[] samples(Dataset data, int from, int n) {
        int length = data.sampleLength();
        float[] values = new float[n * length];
        for (int i = 0; i < n; i++) {
            data.copySample(from + i, values, i * length);
        }
        return values;
    }

    @Override
    public void close() {
        manager.close();
    }
}
