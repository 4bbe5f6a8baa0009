package io.ganserve.jobs;

import io.ganserve.registry.Evaluation;
import io.ganserve.registry.EvaluationPlan;
import java.time.Instant;

/**
 * Where a job is in its life, in the words a person watching it uses, and when its training steps
 * should be done.
 *
 * @param phase {@code queued}, {@code starting} (claimed, loading data or its checkpoint),
 *     {@code training}, {@code evaluating} (a training-time or final evaluation is scoring),
 *     {@code finishing} (writing the final generator) or {@code done} (see {@code status})
 * @param etaSeconds seconds until the last training step at the current rate; null when the job is
 *     not training or has no rate yet. Evaluations still to come are not included
 * @param estimatedFinishAt now plus {@code etaSeconds}
 */
public record JobPhase(String id, JobStatus status, String phase, long step, long totalSteps, double secondsPerStep,
                       Double etaSeconds, Instant estimatedFinishAt) {

    public static final String QUEUED = "queued";
    public static final String STARTING = "starting";
    public static final String TRAINING = "training";
    public static final String EVALUATING = "evaluating";
    public static final String FINISHING = "finishing";
    public static final String DONE = "done";

    /**
     * Read from the job's snapshot alone, so it holds on any instance: an evaluation is running when
     * the plan scores at the step the job stands on and the newest evaluation is older than it (the
     * training thread is inside the scoring, between steps).
     */
    public static JobPhase of(Job job, Instant now) {
        long total = job.config().steps();
        long step = job.progress().step();
        double perStep = job.progress().secondsPerStep();
        String phase = switch (job.status()) {
            case QUEUED -> QUEUED;
            case SUCCEEDED, FAILED, CANCELLED -> DONE;
            case RUNNING -> running(job, step, total, perStep);
        };
        Double eta = null;
        if (TRAINING.equals(phase) && perStep > 0 && Double.isFinite(perStep)) {
            eta = Math.max(0, total - step) * perStep;
        }
        return new JobPhase(job.id(), job.status(), phase, step, total, perStep, eta,
                eta == null ? null : now.plusMillis(Math.round(eta * 1000)));
    }

    private static String running(Job job, long step, long total, double perStep) {
        EvaluationPlan plan = job.config().evaluation();
        Evaluation latest = job.quality().latestEvaluation();
        boolean scoredHere = latest != null && latest.step() >= step;
        // translators and classifiers score held-out images, not samples: their plans say 0 samples
        boolean scoresSamples = !job.config().trainsTranslator() && !job.config().trainsClassifier();
        if (step >= total) {
            return plan.atEnd() && (plan.samples() > 0 || !scoresSamples) && !scoredHere ? EVALUATING : FINISHING;
        }
        boolean due = scoresSamples ? plan.evaluatesAt(step) : plan.scheduledAt(step);
        if (step > 0 && due && !scoredHere) {
            return EVALUATING;
        }
        if (job.times().startedAt() == null || perStep == 0) { // no step timed since the (re)start
            return STARTING;
        }
        return TRAINING;
    }
}
