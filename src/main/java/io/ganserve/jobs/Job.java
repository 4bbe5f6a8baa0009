package io.ganserve.jobs;

import io.ganserve.registry.Evaluation;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.StepResult;
import java.time.Instant;

/**
 * A training job as users and the store see it: an immutable snapshot, replaced on every change.
 *
 * @param step generator steps done
 * @param epoch passes over the training data so far
 * @param samplesPerSecond training throughput: batchSize · generator steps per second (images or points)
 * @param checkpointStep step of the newest checkpoint on disk, 0 when none
 * @param resumedFromStep the checkpoint step the last (re)start continued from, 0 for a fresh start
 * @param error why the job failed, null otherwise
 * @param wassersteinEstimate the critic's Wasserstein-1 estimate (wgan, wgan-gp), null otherwise
 * @param gradientPenalty the latest gradient-penalty term (wgan-gp), null otherwise
 * @param mutualInformation InfoGAN's latest lower bound on the categorical code's mutual information
 *     (nats), null otherwise
 * @param latestEvaluation the newest finished evaluation made while training, null before one
 * @param bestStep the step of the generator kept as best (served as checkpoint=best), null before one
 * @param bestScore its score by the plan's keepBestBy metric
 * @param stopReason why a run ended before its last step (an early-stop condition met), null otherwise
 * @param attempts how many times a worker claimed the job
 * @param deaths how many of the latest claims in a row ended with their worker dying (killed, out of
 *     memory) while it trained the job; a run that ends any other way resets it. Counted so a job that
 *     kills its worker stops being retried (see {@link #died})
 */
public record Job(
        String id,
        JobStatus status,
        TrainingConfig config,
        long step,
        double epoch,
        Float generatorLoss,
        Float discriminatorLoss,
        double samplesPerSecond,
        double secondsPerStep,
        long checkpointStep,
        long resumedFromStep,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        Float wassersteinEstimate,
        Float gradientPenalty,
        Float mutualInformation,
        Evaluation latestEvaluation,
        Long bestStep,
        Double bestScore,
        String stopReason,
        int attempts,
        int deaths) {

    public static Job queued(String id, TrainingConfig config, Instant now) {
        return new Job(id, JobStatus.QUEUED, config, 0, 0, null, null, 0, 0, 0, 0, now, null, null, null, null, null,
                null, null, null, null, null, 0, 0);
    }

    public Job started(Instant now, long fromStep, double epochAtStart) {
        return new Job(id, JobStatus.RUNNING, config, fromStep, epochAtStart, generatorLoss, discriminatorLoss, 0, 0,
                checkpointStep, fromStep, createdAt, startedAt == null ? now : startedAt, null, null,
                wassersteinEstimate, gradientPenalty, mutualInformation, latestEvaluation, bestStep, bestScore, null,
                attempts, deaths);
    }

    /**
     * Taken by a worker that has yet to read the job's newest checkpoint, so neither the step it
     * resumes from nor the step it is at is known until {@link #started}.
     */
    public Job claimed(Instant now) {
        return new Job(id, JobStatus.RUNNING, config, step, epoch, generatorLoss, discriminatorLoss, 0, 0,
                checkpointStep, 0, createdAt, startedAt == null ? now : startedAt, null, null,
                wassersteinEstimate, gradientPenalty, mutualInformation, latestEvaluation, bestStep, bestScore, null,
                attempts + 1, deaths);
    }

    public Job progressed(long newStep, double newEpoch, StepResult losses, double perSecond, double perStep) {
        return new Job(id, status, config, newStep, newEpoch, losses.generatorLoss(), losses.discriminatorLoss(),
                perSecond, perStep, checkpointStep, resumedFromStep, createdAt, startedAt, finishedAt, error,
                losses.wassersteinEstimate(), losses.gradientPenalty(), losses.mutualInformation(), latestEvaluation,
                bestStep, bestScore, stopReason, attempts, deaths);
    }

    public Job checkpointed(long atStep) {
        return new Job(id, status, config, step, epoch, generatorLoss, discriminatorLoss, samplesPerSecond,
                secondsPerStep, atStep, resumedFromStep, createdAt, startedAt, finishedAt, error, wassersteinEstimate,
                gradientPenalty, mutualInformation, latestEvaluation, bestStep, bestScore, stopReason, attempts,
                deaths);
    }

    public Job evaluated(Evaluation evaluation, Long newBestStep, Double newBestScore) {
        return new Job(id, status, config, step, epoch, generatorLoss, discriminatorLoss, samplesPerSecond,
                secondsPerStep, checkpointStep, resumedFromStep, createdAt, startedAt, finishedAt, error,
                wassersteinEstimate, gradientPenalty, mutualInformation, evaluation, newBestStep, newBestScore,
                stopReason, attempts, deaths);
    }

    public Job stoppedEarly(String reason) {
        return new Job(id, status, config, step, epoch, generatorLoss, discriminatorLoss, samplesPerSecond,
                secondsPerStep, checkpointStep, resumedFromStep, createdAt, startedAt, finishedAt, error,
                wassersteinEstimate, gradientPenalty, mutualInformation, latestEvaluation, bestStep, bestScore,
                reason, attempts, deaths);
    }

    /**
     * Found still RUNNING by a worker whose lease on it ended without a word (the worker was killed, or
     * restarted after it was): another death in a row, and back to the queue.
     */
    public Job died() {
        return new Job(id, JobStatus.QUEUED, config, step, epoch, generatorLoss, discriminatorLoss, 0, 0,
                checkpointStep, resumedFromStep, createdAt, startedAt, null, null, wassersteinEstimate, gradientPenalty,
                mutualInformation, latestEvaluation, bestStep, bestScore, null, attempts, deaths + 1);
    }

    /** A graceful stop: the worker lived, so the run of deaths ends. */
    public Job requeued() {
        return new Job(id, JobStatus.QUEUED, config, step, epoch, generatorLoss, discriminatorLoss, 0, 0,
                checkpointStep, resumedFromStep, createdAt, startedAt, null, null, wassersteinEstimate, gradientPenalty,
                mutualInformation, latestEvaluation, bestStep, bestScore, null,
                attempts, 0);
    }

    public Job finished(JobStatus outcome, Instant now, String message) {
        return new Job(id, outcome, config, step, epoch, generatorLoss, discriminatorLoss, samplesPerSecond,
                secondsPerStep, checkpointStep, resumedFromStep, createdAt, startedAt, now, message, wassersteinEstimate,
                gradientPenalty, mutualInformation, latestEvaluation, bestStep, bestScore, stopReason, attempts,
                deaths);
    }
}
