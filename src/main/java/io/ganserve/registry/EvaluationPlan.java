package io.ganserve.registry;


/**
 * When a job scores its generator while it trains, and what it does with the scores.
 *
 * @param every generator steps between evaluations; 0 evaluates only at the end
 * @param samples generated samples per evaluation
 * @param stopWhen ends the run early when an evaluation meets it; null never
 * @param keepBestBy the score the registry keeps the best generator by (served as checkpoint=best)
 * @param atEnd whether the finished run is scored
 */
public record EvaluationPlan(int every, int samples, StopCondition stopWhen, Metric keepBestBy, boolean atEnd) {

    /** The protocols' sample counts: FID's customary 10,000 images; VEEGAN/PacGAN's 2,500 points. */
    public static final int IMAGE_SAMPLES = 10_000;
    public static final int POINT_SAMPLES = 2_500;

    /** Plans written before evaluations existed read back as none. */
    public static final EvaluationPlan NONE = new EvaluationPlan(0, 0, null, null, false);

    /** Samples per evaluation: the plan's, or the protocol's for a plan that has none. */
    public int samplesFor(boolean images) {
        return samples > 0 ? samples : images ? IMAGE_SAMPLES : POINT_SAMPLES;
    }

    /** A generator-scoring evaluation (one that draws {@code samples}) falls at {@code step}. */
    public boolean evaluatesAt(long step) {
        return samples > 0 && scheduledAt(step);
    }

    /**
     * A periodic evaluation falls at {@code step}, whatever it measures: translators and classifiers
     * score held-out images and draw no samples, so their plans say 0 samples and still evaluate.
     */
    public boolean scheduledAt(long step) {
        return every > 0 && step % every == 0;
    }
}
