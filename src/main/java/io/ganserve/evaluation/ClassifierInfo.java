package io.ganserve.evaluation;

import java.util.Objects;

/**
 * What a trained {@link FeatureClassifier} is, for a registry that caches it: the dataset and the
 * image geometry it accepts, its output sizes, and how well and how long it trained.
 *
 * @param imageSize side of the square images it takes, C x imageSize x imageSize
 * @param testAccuracy fraction of the held-out split classified correctly
 * @param trainSeconds wall-clock time of the training passes, without the test evaluation
 */
public record ClassifierInfo(String dataset, int channels, int imageSize, int numClasses, int featureDim,
        double testAccuracy, double trainSeconds, int epochs) {

    public ClassifierInfo {
        Objects.requireNonNull(dataset, "dataset");
        if (channels <= 0 || imageSize <= 0 || numClasses < 2 || featureDim <= 0 || epochs <= 0) {
            throw new IllegalArgumentException("invalid classifier description: channels=" + channels
                    + ", imageSize=" + imageSize + ", numClasses=" + numClasses + ", featureDim=" + featureDim
                    + ", epochs=" + epochs);
        }
    }
}
