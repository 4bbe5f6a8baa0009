package io.ganserve.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.StepResult;
import java.time.Instant;
import java.util.Objects;

/**
 * A training job as users and the store see it: an immutable snapshot, replaced on every change.
 * It is made of parts, and a transition replaces only the parts it changes; a new figure belongs
 * to one part (a new variant's figure to {@link StepResult}, so not to the job at all).
 *
 * <p>Stored as JSON ({@link JdbcJobStore}, and job.json files of older versions), part by part;
 * records written flat, before the parts, still read: see {@link StoredJob}.
 *
 * @param losses what the latest step ended with (losses and the variant's figures), null before the first
 * @param error why the job failed, null otherwise
 */
public record Job(
        String id,
        JobStatus status,
        TrainingConfig config,
        Progress progress,
        StepResult losses,
        Quality quality,
        Timeline times,
        String error,
        Claims claims) {

    public Job {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(claims, "claims");
    }

    /**
     * How far training has got.
     *
     * @param step generator steps done
     * @param epoch passes over the training data so far
     * @param samplesPerSecond training throughput: batchSize · generator steps per second (images or points)
     * @param checkpointStep step of the newest checkpoint on disk, 0 when none
     * @param resumedFromStep the checkpoint step the last (re)start continued from, 0 for a fresh start
     */
    public record Progress(long step, double epoch, double samplesPerSecond, double secondsPerStep,
                           long checkpointStep, long resumedFromStep) {

        public static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0);

        /** Continuing from {@code fromStep}'s checkpoint (0: from scratch), not yet timed. */
        Progress resumedFrom(long fromStep, double epochAtStart) {
            return new Progress(fromStep, epochAtStart, 0, 0, checkpointStep, fromStep);
        }

        /** Taken by a worker that has yet to read the checkpoint it resumes from. */
        Progress awaitingResume() {
            return new Progress(step, epoch, 0, 0, checkpointStep, 0);
        }

        /** Not training: no throughput. */
        Progress idle() {
            return new Progress(step, epoch, 0, 0, checkpointStep, resumedFromStep);
        }

        Progress advanced(long newStep, double newEpoch, double perSecond, double perStep) {
            return new Progress(newStep, newEpoch, perSecond, perStep, checkpointStep, resumedFromStep);
        }

        Progress checkpointed(long atStep) {
            return new Progress(step, epoch, samplesPerSecond, secondsPerStep, atStep, resumedFromStep);
        }
    }

    /**
     * What evaluations made while training found.
     *
     * @param latestEvaluation the newest finished evaluation made while training, null before one
     * @param bestStep the step of the generator kept as best (served as checkpoint=best), null before one
     * @param bestScore its score by the plan's keepBestBy metric
     * @param stopReason why a run ended before its last step (an early-stop condition met), null otherwise
     */
    public record Quality(Evaluation latestEvaluation, Long bestStep, Double bestScore, String stopReason) {

        public static final Quality NONE = new Quality(null, null, null, null);

        Quality evaluated(Evaluation evaluation, Long newBestStep, Double newBestScore) {
            return new Quality(evaluation, newBestStep, newBestScore, stopReason);
        }

        Quality stoppedEarly(String reason) {
            return new Quality(latestEvaluation, bestStep, bestScore, reason);
        }

        /** A run under way has not stopped early. */
        Quality running() {
            return stoppedEarly(null);
        }
    }

    /** When the job was submitted, first started, and ended (null while it has not). */
    public record Timeline(Instant createdAt, Instant startedAt, Instant finishedAt) {

        static Timeline created(Instant now) {
            return new Timeline(now, null, null);
        }

        /** Running (again): started keeps the first start. */
        Timeline running(Instant now) {
            return new Timeline(createdAt, startedAt == null ? now : startedAt, null);
        }

        /** Back in the queue: not ended. */
        Timeline reopened() {
            return new Timeline(createdAt, startedAt, null);
        }

        Timeline finished(Instant now) {
            return new Timeline(createdAt, startedAt, now);
        }
    }

    /**
     * Workers' claims on the job.
     *
     * @param attempts how many times a worker claimed the job
     * @param deaths how many of the latest claims in a row ended with their worker dying (killed, out of
     *     memory) while it trained the job; a run that ends any other way resets it. Counted so a job that
     *     kills its worker stops being retried (see {@link Job#died})
     */
    public record Claims(int attempts, int deaths) {

        public static final Claims NONE = new Claims(0, 0);

        Claims claimed() {
            return new Claims(attempts + 1, deaths);
        }

        Claims died() {
            return new Claims(attempts, deaths + 1);
        }

        Claims survived() {
            return new Claims(attempts, 0);
        }
    }

    /** Reads a stored record in either shape, by parts or flat. */
    @JsonCreator
    static Job fromJson(StoredJob stored) {
        return stored.toJob();
    }

    public static Job queued(String id, TrainingConfig config, Instant now) {
        return new Job(id, JobStatus.QUEUED, config, Progress.NONE, null, Quality.NONE, Timeline.created(now), null,
                Claims.NONE);
    }

    public Job started(Instant now, long fromStep, double epochAtStart) {
        return new Job(id, JobStatus.RUNNING, config, progress.resumedFrom(fromStep, epochAtStart), losses,
                quality.running(), times.running(now), null, claims);
    }

    /**
     * Taken by a worker that has yet to read the job's newest checkpoint, so neither the step it
     * resumes from nor the step it is at is known until {@link #started}.
     */
    public Job claimed(Instant now) {
        return new Job(id, JobStatus.RUNNING, config, progress.awaitingResume(), losses, quality.running(),
                times.running(now), null, claims.claimed());
    }

    public Job progressed(long newStep, double newEpoch, StepResult latest, double perSecond, double perStep) {
        return new Job(id, status, config, progress.advanced(newStep, newEpoch, perSecond, perStep), latest, quality,
                times, error, claims);
    }

    public Job checkpointed(long atStep) {
        return new Job(id, status, config, progress.checkpointed(atStep), losses, quality, times, error, claims);
    }

    public Job evaluated(Evaluation evaluation, Long newBestStep, Double newBestScore) {
        return new Job(id, status, config, progress, losses, quality.evaluated(evaluation, newBestStep, newBestScore),
                times, error, claims);
    }

    public Job stoppedEarly(String reason) {
        return new Job(id, status, config, progress, losses, quality.stoppedEarly(reason), times, error, claims);
    }

    /**
     * Found still RUNNING by a worker whose lease on it ended without a word (the worker was killed, or
     * restarted after it was): another death in a row, and back to the queue.
     */
    public Job died() {
        return new Job(id, JobStatus.QUEUED, config, progress.idle(), losses, quality.running(),
                times.reopened(), null, claims.died());
    }

    /** A graceful stop: the worker lived, so the run of deaths ends. */
    public Job requeued() {
        return new Job(id, JobStatus.QUEUED, config, progress.idle(), losses, quality.running(),
                times.reopened(), null, claims.survived());
    }

    public Job finished(JobStatus outcome, Instant now, String message) {
        return new Job(id, outcome, config, progress, losses, quality, times.finished(now), message, claims);
    }
}
