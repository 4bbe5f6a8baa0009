package io.ganserve.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A job's losses and variant figures over its whole run, in at most {@code maxPoints} points. Each
 * point is the mean of the {@code steps} consecutive steps that end at its {@code step}: when the
 * points would outgrow the bound, neighbours are merged in pairs, so a run of any length keeps an
 * even resolution from its first step to its last, at a bounded size.
 *
 * @param stepsPerPoint how many steps a full point covers now (a power of two); the newest point may
 *     cover fewer, as may points around a resume
 * @param recordedSteps steps the points hold between them
 */
public record TrainingHistory(String jobId, int maxPoints, long stepsPerPoint, long recordedSteps, List<Point> points) {

    public TrainingHistory {
        points = points == null ? List.of() : List.copyOf(points);
    }

    public static TrainingHistory empty(String jobId, int maxPoints) {
        return new TrainingHistory(jobId, maxPoints, 1, 0, List.of());
    }

    /**
     * Means over the steps the point covers; a figure the job does not have (the Wasserstein
     * estimate of a non-Wasserstein loss, say) is null.
     *
     * @param step the last step the point covers
     * @param steps how many steps it covers
     * @param adversarialLoss a CycleGAN's generators' least-squares terms; with {@code cycleLoss} and
     *     {@code identityLoss}, the parts of its generator loss (null for GANs, and in histories
     *     written before they were recorded)
     * @param samplesPerSecond training throughput over those steps (images or points per second)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(long step, long steps, Float generatorLoss, Float discriminatorLoss, Float wassersteinEstimate,
                        Float gradientPenalty, Float mutualInformation, Float adversarialLoss, Float cycleLoss,
                        Float identityLoss, Double samplesPerSecond) {}
}
