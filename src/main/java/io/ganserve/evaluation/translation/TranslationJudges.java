package io.ganserve.evaluation.translation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ganserve.data.Dataset;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.FeatureClassifier;
import java.util.concurrent.locks.Lock;

/**
 * The two networks a translation is judged by, trained on real images only (never on the
 * held-out split): a vendor classifier that tells domain A from domain B, and a category
 * classifier over both domains whose penultimate features measure FD, so that translated and
 * real images are embedded by one network.
 */
public final class TranslationJudges implements AutoCloseable {

    private final FeatureClassifier vendor;
    private final FeatureClassifier features;

    private TranslationJudges(FeatureClassifier vendor, FeatureClassifier features) {
        this.vendor = vendor;
        this.features = features;
    }

    /**
     * @param trainA domain A's training split (labelled by category)
     * @param trainB domain B's training split
     * @param heldA domain A's held-out split: only measures the classifiers' accuracy
     * @param heldB domain B's held-out split
     */
    public static TranslationJudges train(Dataset trainA, Dataset trainB, Dataset heldA, Dataset heldB,
                                          ClassifierSettings settings, NDManager manager, Lock collectorLock) {
        FeatureClassifier vendor = FeatureClassifier.train(
                new TwoDomains("vendor", trainA, trainB, TwoDomains.Labels.DOMAIN),
                new TwoDomains("vendor-held-out", heldA, heldB, TwoDomains.Labels.DOMAIN),
                settings, manager, collectorLock);
        try {
            FeatureClassifier features = FeatureClassifier.train(
                    new TwoDomains("category", trainA, trainB, TwoDomains.Labels.CLASS),
                    new TwoDomains("category-held-out", heldA, heldB, TwoDomains.Labels.CLASS),
                    settings, manager, collectorLock);
            return new TranslationJudges(vendor, features);
        } catch (RuntimeException e) {
            vendor.close();
            throw e;
        }
    }

    /** The vendor classifier's accuracy on the real held-out images of both domains. */
    public double vendorAccuracy() {
        return vendor.testAccuracy();
    }

    /** The shared feature network's category accuracy on the real held-out images of both domains. */
    public double categoryAccuracy() {
        return features.testAccuracy();
    }

    /** Share of the images (N x C x H x W) the vendor classifier puts in {@code domain} (0: A, 1: B). */
    double shareJudged(NDArray images, int domain) {
        NDArray chosen = vendor.probabilities(images).argMax(1); // N x 2 -> N
        return chosen.eq(domain).sum().getLong() / (double) images.getShape().get(0);
    }

    NDArray features(NDArray images) {
        return features.features(images);
    }

    @Override
    public void close() {
        vendor.close();
        features.close();
    }
}
