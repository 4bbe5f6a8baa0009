package io.ganserve.api;

import io.ganserve.jobs.Job;
import io.ganserve.jobs.JobCost;
import io.ganserve.jobs.JobPhase;
import io.ganserve.jobs.JobStatus;
import io.ganserve.registry.DamagedFile;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * A job as {@code GET /jobs/{id}} shows it.
 *
 * @param phase {@code queued}, {@code starting}, {@code training}, {@code evaluating} (scoring after a step,
 *     or after the last one while {@code status} is still RUNNING), {@code finishing} or {@code done}:
 *     as {@code GET /jobs/{id}/phase}
 * @param etaSeconds while training: seconds until the last step at the current rate (evaluations
 *     still to come not included); null otherwise
 * @param estimatedFinishAt now plus {@code etaSeconds}
 * @param attempts how many times a worker took the job up; a job whose worker died
 *     {@code ganserve.training.max-attempts} times in a row fails instead of being taken up again
 * @param damagedFiles the job's files found damaged (a record that does not parse, a checkpoint cut
 *     short) and moved aside as {@code <name>.damaged}; empty when none
 */
public record JobView(
        String id,
        JobStatus status,
        String phase,
        Double etaSeconds,
        Instant estimatedFinishAt,
        Progress progress,
        Losses losses,
        Throughput throughput,
        VariantFigures variantFigures,
        long checkpointStep,
        long resumedFromStep,
        int attempts,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        List<DamagedFile> damagedFiles,
        Quality quality,
        Resources resources,
        TrainingConfig config,
        @io.swagger.v3.oas.annotations.media.Schema(description = "the job this one fine-tunes (starts from its "
                + "final state); null for a run from scratch")
        String parent) {

    /**
     * What the job was priced at when submitted (see the memory budget in the docs); null when its
     * dataset is no longer there to price it against.
     *
     * @param memoryBytes native memory reserved while it trains, evaluations included
     * @param checkpointBytes one checkpoint
     * @param diskBytes disk at its largest: the checkpoints kept, one being written, the generators
     */
    public record Resources(long memoryBytes, long checkpointBytes, long diskBytes) {}

    /**
     * @param latest the newest evaluation made while training (scores, step, sample count, seed)
     * @param bestStep the step of the generator kept as best, served by GET /samples?job=&checkpoint=best
     * @param bestScore its score by the job's keepBestBy metric
     * @param stopReason why the run ended before its last step, when an early-stop condition was met
     */
    public record Quality(io.ganserve.registry.Evaluation latest, Long bestStep, Double bestScore, String stopReason) {

        static Quality of(Job.Quality q) {
            return new Quality(q.latestEvaluation(), q.bestStep(), q.bestScore(), q.stopReason());
        }
    }

    /** @param fraction step / totalSteps */
    public record Progress(long step, long totalSteps, double fraction, double epoch) {

        static Progress of(Job.Progress p, long totalSteps) {
            return new Progress(p.step(), totalSteps, totalSteps == 0 ? 0 : (double) p.step() / totalSteps, p.epoch());
        }
    }

    /** The losses of the latest step; null before the first. */
    public record Losses(Float generator, Float discriminator) {

        static Losses of(StepResult latest) {
            return latest == null ? new Losses(null, null)
                    : new Losses(latest.generatorLoss(), latest.discriminatorLoss());
        }
    }

    /**
     * @param wassersteinEstimate the critic's estimate of the Wasserstein-1 distance (wgan, wgan-gp)
     * @param gradientPenalty the latest λ·E[(‖∇f(x̂)‖ − 1)²] (gradient penalty on)
     * @param mutualInformation InfoGAN: the lower bound log K − cross-entropy on I(c1; G(z, c)), in nats
     * @param adversarialLoss CycleGAN: the generators' least-squares terms, both directions
     * @param cycleLoss CycleGAN: the λ-weighted cycle-consistency L1, both directions
     * @param identityLoss CycleGAN: the weighted identity L1, both directions
     */
    public record VariantFigures(Float wassersteinEstimate, Float gradientPenalty, Float mutualInformation,
                                 Float adversarialLoss, Float cycleLoss, Float identityLoss) {

        static VariantFigures of(StepResult latest) {
            return latest == null ? new VariantFigures(null, null, null, null, null, null)
                    : new VariantFigures(latest.wassersteinEstimate(), latest.gradientPenalty(),
                            latest.mutualInformation(), latest.adversarialLoss(), latest.cycleLoss(),
                            latest.identityLoss());
        }
    }

    /** @param samplesPerSecond images (or points) per second: batchSize / secondsPerStep */
    public record Throughput(double samplesPerSecond, double secondsPerStep) {

        static Throughput of(Job.Progress p) {
            return new Throughput(p.samplesPerSecond(), p.secondsPerStep());
        }
    }

    static JobView of(Job job, JobCost cost, int keepCheckpoints, List<DamagedFile> damagedFiles, Instant now) {
        Job.Progress progress = job.progress();
        Job.Timeline times = job.times();
        JobPhase phase = JobPhase.of(job, now);
        return new JobView(job.id(), job.status(), phase.phase(), phase.etaSeconds(), phase.estimatedFinishAt(),
                Progress.of(progress, job.config().steps()), Losses.of(job.losses()), Throughput.of(progress),
                VariantFigures.of(job.losses()), progress.checkpointStep(), progress.resumedFromStep(),
                job.claims().attempts(), times.createdAt(), times.startedAt(), times.finishedAt(), job.error(),
                List.copyOf(damagedFiles), Quality.of(job.quality()),
                cost == null ? null : new Resources(cost.memoryBytes(), cost.checkpointBytes(),
                        cost.diskBytes(keepCheckpoints)),
                job.config(), job.config().parent());
    }
}
