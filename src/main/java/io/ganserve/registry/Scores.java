package io.ganserve.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What an evaluation measured; a score is null where it does not apply (image scores for points,
 * coverage for images, classifier scores for an unlabelled folder).
 *
 * @param frechetDistance FD of generated vs real test-split features
 * @param frechetFloor FD of real train-split vs real test-split features: the best FD can hope for
 * @param classifierAccuracy the feature network's accuracy on the test split, for reading its scores
 * @param parzenLogLikelihood mean log-likelihood of the test split under a Parzen window on the
 *     samples (pixels in [0, 1]), with its standard error and the σ chosen on validation images
 * @param seconds how long each score took to compute, by name
 * @param translation a CycleGAN's scores on held-out pairs; null for every other model
 * @param classification a semi-supervised job's test accuracies (its classifier and the
 *     labels-alone baseline); null for every other job
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Scores(
        Double frechetDistance,
        Double frechetFloor,
        Double inceptionScore,
        Double inceptionScoreStd,
        Double precision,
        Double recall,
        Double classifierAccuracy,
        Double parzenLogLikelihood,
        Double parzenStandardError,
        Double parzenSigma,
        Integer modesCovered,
        Integer modeCount,
        Double highQuality,
        Double reverseKl,
        Map<String, Double> seconds,
        TranslationQuality translation,
        ClassificationQuality classification) {

    /** The scores of a generator or a translator. */
    public Scores(Double frechetDistance, Double frechetFloor, Double inceptionScore, Double inceptionScoreStd,
                  Double precision, Double recall, Double classifierAccuracy, Double parzenLogLikelihood,
                  Double parzenStandardError, Double parzenSigma, Integer modesCovered, Integer modeCount,
                  Double highQuality, Double reverseKl, Map<String, Double> seconds, TranslationQuality translation) {
        this(frechetDistance, frechetFloor, inceptionScore, inceptionScoreStd, precision, recall, classifierAccuracy,
                parzenLogLikelihood, parzenStandardError, parzenSigma, modesCovered, modeCount, highQuality, reverseKl,
                seconds, translation, null);
    }

    /** The scores of a generator of noise (no translation figures). */
    public Scores(Double frechetDistance, Double frechetFloor, Double inceptionScore, Double inceptionScoreStd,
                  Double precision, Double recall, Double classifierAccuracy, Double parzenLogLikelihood,
                  Double parzenStandardError, Double parzenSigma, Integer modesCovered, Integer modeCount,
                  Double highQuality, Double reverseKl, Map<String, Double> seconds) {
        this(frechetDistance, frechetFloor, inceptionScore, inceptionScoreStd, precision, recall, classifierAccuracy,
                parzenLogLikelihood, parzenStandardError, parzenSigma, modesCovered, modeCount, highQuality, reverseKl,
                seconds, null);
    }

    /** A translator's scores: FD is the forward direction's, the rest under {@code translation}. */
    public static Scores ofTranslation(TranslationQuality quality, Map<String, Double> seconds) {
        return new Scores(quality.forward().fd(), null, null, null, null, null, quality.categoryAccuracy(), null,
                null, null, null, null, null, null, seconds, quality);
    }

    /** A semi-supervised job's scores: both classifiers' test accuracies, nothing a generator is scored by. */
    public static Scores ofClassification(ClassificationQuality quality, Map<String, Double> seconds) {
        return new Scores(null, null, null, null, null, null, null, null, null, null, null, null, null, null, seconds,
                null, quality);
    }

    /** The value of {@code metric}, or null when this evaluation did not measure it. */
    public Double value(Metric metric) {
        return switch (metric) {
            case FD -> frechetDistance;
            case IS -> inceptionScore;
            case PRECISION -> precision;
            case RECALL -> recall;
            case PARZEN -> parzenLogLikelihood;
            case MODES -> modesCovered == null ? null : modesCovered.doubleValue();
            case HIGH_QUALITY -> highQuality;
            case KL -> reverseKl;
        };
    }
}
