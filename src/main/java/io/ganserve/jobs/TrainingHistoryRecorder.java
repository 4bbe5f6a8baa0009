package io.ganserve.jobs;

import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.TrainingHistory;
import io.ganserve.training.StepResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every training step of the jobs this instance trains into a bounded {@link TrainingHistory}
 * and keeps it with the job (history.json): at each checkpoint, at the end, and at most every
 * {@code saveEvery} in between, so a console on another instance sharing the data directory sees
 * the curve move and a restarted job goes on with the curve it had.
 */
public final class TrainingHistoryRecorder implements JobListener {

    private static final Logger log = LoggerFactory.getLogger(TrainingHistoryRecorder.class);

    private final ModelRegistry registry;
    private final int maxPoints;
    private final Duration saveEvery;
    private final Clock clock;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    /** One job being trained here: its accumulator and when it was last saved, guarded by itself. */
    private static final class Live {
        final HistoryAccumulator history;
        Instant savedAt;

        Live(HistoryAccumulator history, Instant savedAt) {
            this.history = history;
            this.savedAt = savedAt;
        }
    }

    public TrainingHistoryRecorder(ModelRegistry registry, int maxPoints, Duration saveEvery, Clock clock) {
        this.registry = registry;
        this.maxPoints = maxPoints;
        this.saveEvery = saveEvery;
        this.clock = clock;
    }

    /** The job's history: live when this instance trains it, else as last saved; no points before its first step. */
    public TrainingHistory history(String jobId) {
        Live job = live.get(jobId);
        if (job != null) {
            synchronized (job) {
                return job.history.snapshot();
            }
        }
        return registry.history(jobId).orElseGet(() -> TrainingHistory.empty(jobId, maxPoints));
    }

    /**
     * A history point as JSON at its longest: eleven field names, two 19-digit longs, eight floats
     * of up to 15 characters and a double of up to 24, the punctuation; no job has every figure (a
     * GAN has no cycle loss, a CycleGAN no Wasserstein estimate), so this is a bound.
     * {@code TrainingHistoryTest} writes a history of such points.
     */
    static final long POINT_BYTES = 416;

    /** On disk: the history at {@code maxPoints} points, twice (the new file is written beside the old). */
    @Override
    public JobCost.Extra costOf(TrainingConfig config, NetworkSpec spec) {
        return new JobCost.Extra(0, 2 * (maxPoints * POINT_BYTES + 1024));
    }

    @Override
    public void jobStarted(Job job) {
        guarded(job, "start", () -> live.put(job.id(), open(job.id(), job.progress().resumedFromStep())));
    }

    @Override
    public void stepCompleted(Job job) {
        guarded(job, "step", () -> {
            Live entry = live.computeIfAbsent(job.id(), id -> open(id, job.progress().step() - 1));
            synchronized (entry) {
                record(entry.history, job);
                if (!clock.instant().isBefore(entry.savedAt.plus(saveEvery))) {
                    save(entry);
                }
            }
        });
    }

    @Override
    public void checkpointWritten(Job job, long bytes, Duration took) {
        guarded(job, "checkpoint", () -> saveIfLive(job.id()));
    }

    @Override
    public void divergenceReplayed(Job job, long step, long fromStep) {
        guarded(job, "replay", () -> {
            Live entry = live.get(job.id());
            if (entry != null) {
                synchronized (entry) {
                    entry.history.truncateAfter(fromStep);
                }
            }
        });
    }

    @Override
    public void jobFinished(Job job) {
        guarded(job, "finish", () -> {
            saveIfLive(job.id());
            live.remove(job.id());
        });
    }

    /**
     * A step's figures: the job's latest {@link StepResult}, so a new variant figure arrives with it
     * (and needs a column in {@link io.ganserve.registry.TrainingHistory.Point}).
     */
    private static void record(HistoryAccumulator history, Job job) {
        StepResult losses = job.losses();
        if (losses == null) {
            return;
        }
        history.add(job.progress().step(), losses, job.progress().samplesPerSecond());
    }

    /** The stored history (a restart, or another instance's run) cut back to where training resumes. */
    private Live open(String jobId, long resumesAfter) {
        HistoryAccumulator history = registry.history(jobId)
                .map(stored -> HistoryAccumulator.resume(stored, maxPoints))
                .orElseGet(() -> HistoryAccumulator.empty(jobId, maxPoints));
        history.truncateAfter(Math.max(0, resumesAfter));
        return new Live(history, clock.instant());
    }

    private void saveIfLive(String jobId) {
        Live entry = live.get(jobId);
        if (entry != null) {
            synchronized (entry) {
                save(entry);
            }
        }
    }

    private void save(Live entry) {
        registry.saveHistory(entry.history.snapshot());
        entry.savedAt = clock.instant();
    }

    /** Listeners must not throw into the training loop: a lost curve is logged, the job goes on. */
    private static void guarded(Job job, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("training history of job {} ({}): {}", job.id(), what, e.toString());
        }
    }
}
