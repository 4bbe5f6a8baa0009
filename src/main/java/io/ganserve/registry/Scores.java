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
        Map<String, Double> seconds) {

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
