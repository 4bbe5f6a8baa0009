package io.ganserve.jobs;

import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.TrainingConfig;
import java.time.Duration;
import java.util.List;

/**
 * Told what training jobs do: serving swaps in finished generators, metrics follow progress.
 * Called on training threads, so implementations must be quick and must not throw.
 */
public interface JobListener {

    /** A job's final generator is on disk. */
    default void modelReady(ModelInfo model) {}

    default void jobStarted(Job job) {}

    /** After every training step, with the job's new snapshot. */
    default void stepCompleted(Job job) {}

    default void checkpointWritten(Job job, long bytes, Duration took) {}

    default void jobFinished(Job job) {}

    /** A job's model and files were deleted: {@code reason} request, retention or quota. */
    default void modelDeleted(String jobId, String reason, long freedBytes) {}

    /** Losses turned non-finite at {@code step}; the run replays from {@code fromStep} once to see whether it repeats. */
    default void divergenceReplayed(Job job, long step, long fromStep) {}

    /** A training-time evaluation finished (or failed); {@code job} already carries it. */
    default void evaluationFinished(Job job, Evaluation evaluation) {}

    /**
     * What this listener will keep beside a job of {@code config} training {@code spec} and use while
     * it trains, priced before the job starts (see {@link JobCost#plus}). {@code spec} is null for a
     * translator ({@link TrainingConfig#trainsTranslator()}), which has no noise-to-image network, and
     * for a semi-supervised classifier ({@link TrainingConfig#trainsClassifier()}), whose generator is
     * not served.
     */
    default JobCost.Extra costOf(TrainingConfig config, NetworkSpec spec) {
        return JobCost.Extra.NONE;
    }

    /** Tells every listener in turn. */
    static JobListener all(List<JobListener> listeners) {
        return new JobListener() {
            @Override
            public JobCost.Extra costOf(TrainingConfig config, NetworkSpec spec) {
                return listeners.stream().map(l -> l.costOf(config, spec)).reduce(JobCost.Extra.NONE, JobCost.Extra::plus);
            }

            @Override
            public void modelReady(ModelInfo model) {
                listeners.forEach(l -> l.modelReady(model));
            }

            @Override
            public void jobStarted(Job job) {
                listeners.forEach(l -> l.jobStarted(job));
            }

            @Override
            public void stepCompleted(Job job) {
                listeners.forEach(l -> l.stepCompleted(job));
            }

            @Override
            public void checkpointWritten(Job job, long bytes, Duration took) {
                listeners.forEach(l -> l.checkpointWritten(job, bytes, took));
            }

            @Override
            public void jobFinished(Job job) {
                listeners.forEach(l -> l.jobFinished(job));
            }

            @Override
            public void modelDeleted(String jobId, String reason, long freedBytes) {
                listeners.forEach(l -> l.modelDeleted(jobId, reason, freedBytes));
            }

            @Override
            public void divergenceReplayed(Job job, long step, long fromStep) {
                listeners.forEach(l -> l.divergenceReplayed(job, step, fromStep));
            }

            @Override
            public void evaluationFinished(Job job, Evaluation evaluation) {
                listeners.forEach(l -> l.evaluationFinished(job, evaluation));
            }
        };
    }
}
