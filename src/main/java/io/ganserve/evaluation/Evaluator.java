package io.ganserve.evaluation;

import io.ganserve.registry.Scores;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.GaussianMixture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * Scores a generator against its dataset: mode coverage for point mixtures; for images the
 * Fréchet distance (with its real-vs-real floor), the Inception-score analogue and precision/recall
 * on the dataset's own classifier's features, and the GAN paper's Parzen-window log-likelihood.
 * One evaluation at a time (they share the cached reference data and the engine's cores).
 */
public final class Evaluator implements AutoCloseable {

    /** Generated images per forward pass: bounds the activations' native memory. */
    private static final int CHUNK = 500;

    private final DatasetCatalog catalog;
    private final NDManager manager;
    private final FeatureNetworks networks;

    /**
     * @param directory where feature networks are stored, e.g. the registry's {@code evaluation/}
     * @param collectorLock the process-wide gradient-collector lock, taken while a feature network trains
     */
    public Evaluator(DatasetCatalog catalog, Path directory, NDManager parent, Lock collectorLock,
                     ClassifierSettings settings) {
        this.catalog = catalog;
        this.manager = parent.newSubManager();
        this.networks = new FeatureNetworks(catalog, directory, manager, collectorLock, settings);
    }

    /** The feature network stored for a dataset, if one was trained. */
    public synchronized Optional<ClassifierInfo> featureNetwork(String dataset, int imageSize) {
        return networks.stored(dataset, imageSize);
    }

    /**
     * A copy of the feature network stored for a dataset and size, owned by the caller (who closes
     * it); empty when none has been trained yet (the first evaluation of a job on the dataset trains it).
     */
    public synchronized Optional<FeatureClassifier> featureNetworkCopy(String dataset, int imageSize, NDManager parent) {
        return networks.loadCopy(dataset, imageSize, parent);
    }

    /**
     * Whether images of a dataset get feature-network scores (FD, IS, precision, recall, the feature
     * column of nearest neighbours): the network is trained on the dataset's classes, and its two
     * poolings need images of {@value ClassifierNetwork#MIN_SIDE} pixels or more.
     */
    public static boolean scoresFeatures(boolean labelled, int imageSize) {
        return labelled && imageSize >= ClassifierNetwork.MIN_SIDE;
    }

    /**
     * @param imageSize the side images are generated at; ignored for points
     * @param samples generated samples to score
     */
    public synchronized Scores evaluate(String dataset, int imageSize, SampleSource source, int samples, long seed) {
        Optional<GaussianMixture> mixture = catalog.mixture(dataset);
        try (NDManager scratch = manager.newSubManager()) {
            return mixture.isPresent()
                    ? points(mixture.get(), source, samples, seed, scratch)
                    : images(networks.reference(dataset, imageSize), source, samples, seed, scratch);
        }
    }

    private static Scores points(GaussianMixture mixture, SampleSource source, int samples, long seed, NDManager scratch) {
        long start = System.nanoTime();
        ModeCoverage.Result coverage = ModeCoverage.evaluate(mixture, source.draw(scratch, samples, seed).toFloatArray());
        Map<String, Double> seconds = Map.of("coverage", (System.nanoTime() - start) / 1e9);
        return new Scores(null, null, null, null, null, null, null, null, null, null, coverage.modesCovered(),
                coverage.modeCount(), coverage.highQualityFraction(), coverage.reverseKl(), seconds);
    }

    private static Scores images(ReferenceData reference, SampleSource source, int samples, long seed,
                                 NDManager scratch) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long start = System.nanoTime();
        FeatureClassifier classifier = reference.classifier();
        NDList pixelChunks = new NDList();
        NDList featureChunks = new NDList();
        NDList probabilityChunks = new NDList();
        for (int from = 0, part = 0; from < samples; from += CHUNK, part++) {
            int n = Math.min(CHUNK, samples - from);
            NDArray images = source.draw(scratch, n, seed * 1_000_003L + part);
            pixelChunks.add(images.add(1).div(2).reshape(n, -1)); // [0, 1] pixels, as the Parzen protocol reads them
            if (classifier != null) {
                featureChunks.add(classifier.features(images));
                probabilityChunks.add(classifier.probabilities(images));
            }
        }
        // one copy per score input at the end, not one per chunk
        NDArray pixels = NDArrays.concat(pixelChunks);
        NDArray features = classifier == null ? null : NDArrays.concat(featureChunks);
        NDArray probabilities = classifier == null ? null : NDArrays.concat(probabilityChunks);
        seconds.put("generate", elapsed(start));

        Double fd = null;
        Double is = null;
        Double isStd = null;
        Double precision = null;
        Double recall = null;
        if (classifier != null) {
            start = System.nanoTime();
            fd = FrechetDistance.between(FeatureStatistics.of(features), reference.testStatistics());
            seconds.put("fd", elapsed(start));
            start = System.nanoTime();
            InceptionScore.Score score = InceptionScore.of(probabilities, Math.min(InceptionScore.DEFAULT_SPLITS,
                    Math.max(1, samples / 100)));
            is = score.mean();
            isStd = score.std();
            seconds.put("is", elapsed(start));
            start = System.nanoTime();
            PrecisionRecall.Result pr = PrecisionRecall.compute(reference.testFeatures(), features);
            precision = pr.precision();
            recall = pr.recall();
            seconds.put("precisionRecall", elapsed(start));
        }
        start = System.nanoTime();
        ParzenWindow.Result parzen = ParzenWindow.evaluate(pixels, reference.validationPixels(), reference.testPixels());
        seconds.put("parzen", elapsed(start));
        return new Scores(fd, classifier == null ? null : reference.floor(), is, isStd, precision, recall,
                classifier == null ? null : classifier.testAccuracy(), parzen.mean(), parzen.standardError(),
                parzen.sigma(), null, null, null, null, seconds);
    }

    /**
     * The GAN paper's Figure 2: for each generated image, its closest training image by L2 distance
     * in pixel space and in the feature network's space.
     *
     * @param images n generated images, row after row, pixels in [0, 1]
     * @return per image, the nearest training image by pixels then (when the dataset has a feature
     *     network) by features, each row after row with pixels in [0, 1]
     */
    public synchronized Neighbours nearest(String dataset, int imageSize, float[] images, int n) {
        ReferenceData reference = networks.reference(dataset, imageSize);
        Dataset train = reference.train();
        int length = train.sampleLength();
        int[] shape = train.sampleShape();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray unit = scratch.create(images, new Shape(n, length));
            int[] byPixels = nearestRows(unit, reference.trainPixels());
            int[] byFeatures = null;
            if (reference.classifier() != null) {
                NDArray modelRange = unit.mul(2).sub(1).reshape(n, shape[0], shape[1], shape[2]);
                byFeatures = nearestRows(reference.classifier().features(modelRange), reference.trainFeatures());
            }
            return new Neighbours(unitImages(train, byPixels), byFeatures == null ? null : unitImages(train, byFeatures),
                    byPixels, byFeatures);
        }
    }

    /** Nearest training images; {@code byFeatures} null when the dataset has no feature network. */
    public record Neighbours(float[] byPixels, float[] byFeatures, int[] pixelIndices, int[] featureIndices) {}

    /** Index of the nearest row of {@code candidates} for each row of {@code queries}: argmin ‖q‖² − 2q·c + ‖c‖². */
    private static int[] nearestRows(NDArray queries, NDArray candidates) {
        try (NDManager scratch = queries.getManager().newSubManager()) {
            NDArray q = queries.duplicate();
            q.attach(scratch);
            // ops on the cached candidates land in their manager: move each temporary here to be freed
            NDArray squares = candidates.square();
            squares.attach(scratch);
            NDArray cNorms = squares.sum(new int[] {1});
            NDArray transposed = candidates.transpose();
            transposed.attach(scratch);
            NDArray cross = q.matMul(transposed);
            NDArray distances = cNorms.expandDims(0).sub(cross.mul(2)); // ‖q‖² is the same along a row
            return distances.argMin(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        }
    }

    private static float[] unitImages(Dataset data, int[] indices) {
        int length = data.sampleLength();
        float[] out = new float[indices.length * length];
        for (int i = 0; i < indices.length; i++) {
            data.copySample(indices[i], out, i * length);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (out[i] + 1) / 2;
        }
        return out;
    }

    private static double elapsed(long start) {
        return Math.round((System.nanoTime() - start) / 1e6) / 1e3;
    }

    @Override
    public synchronized void close() {
        networks.close();
        manager.close();
    }
}
