package io.ganserve.jobs;

import io.ganserve.registry.Evaluation;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.StepResult;
import java.time.Instant;

/**
 * A job record as stored, in either shape: by parts ({@link Job}'s own, written since the job was
 * made of parts) or flat (written before: every figure a field of the job, the losses and variant
 * figures among them). Each part missing from the record is made from the flat fields, so a record
 * written flat reads as it did (with zeros and nulls for what its version did not yet know), and is
 * written back by parts the next time it changes. Only {@link Job#fromJson} reads it.
 */
record StoredJob(
        String id,
        JobStatus status,
        TrainingConfig config,
        String error,
        // by parts
        Job.Progress progress,
        StepResult losses,
        Job.Quality quality,
        Job.Timeline times,
        Job.Claims claims,
        // flat
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
        Float wassersteinEstimate,
        Float gradientPenalty,
        Float mutualInformation,
        Evaluation latestEvaluation,
        Long bestStep,
        Double bestScore,
        String stopReason,
        int attempts,
        int deaths) {

    Job toJob() {
        return new Job(id, status, config,
                progress != null ? progress : new Job.Progress(step, epoch, samplesPerSecond, secondsPerStep,
                        checkpointStep, resumedFromStep),
                losses != null || generatorLoss == null || discriminatorLoss == null ? losses
                        : new StepResult(generatorLoss, discriminatorLoss, wassersteinEstimate, gradientPenalty,
                                mutualInformation),
                quality != null ? quality : new Job.Quality(latestEvaluation, bestStep, bestScore, stopReason),
                times != null ? times : new Job.Timeline(createdAt, startedAt, finishedAt),
                error,
                claims != null ? claims : new Job.Claims(attempts, deaths));
    }
}
