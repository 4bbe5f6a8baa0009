package io.ganserve.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.ganserve.data.Dataset;
import io.ganserve.gan.NetworkSpec;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one job from its last checkpoint (or from scratch) to its final step, checkpointing on the
 * way, and stops early when asked. Knows nothing of HTTP or of the queue that scheduled it.
 */
final class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    /** How a run ended, when it did not throw. */
    enum Outcome { COMPLETED, STOPPED }

    /** Receives every change to the job; persist = also write job.json. */
    interface Progress {
        Job update(UnaryOperator<Job> change, boolean persist);
    }

    private final ModelRegistry registry;
    private final NDManager engineManager;
    private final Lock collectorLock;
    private final Clock clock;

    TrainingRun(ModelRegistry registry, NDManager engineManager, Lock collectorLock, Clock clock) {
        this.registry = registry;
        this.engineManager = engineManager;
        this.collectorLock = collectorLock;
        this.clock = clock;
    }

    Outcome run(Job job, Dataset dataset, Progress progress, BooleanSupplier stopRequested, JobListener listener) {
        TrainingConfig config = job.config();
        NetworkSpec spec = config.networkFor(dataset);
        BatchSource batches = new BatchSource(dataset, config.batchSize(), config.discriminatorSteps(),
                config.latentDim(), config.seed());
        try (NDManager jobManager = managerFor(config.device());
             GanTrainer trainer = new GanTrainer(config, spec, batches, jobManager, collectorLock)) {
            Optional<Checkpoint> resume = registry.latestCheckpoint(job.id());
            long start = resume.map(c -> registry.readCheckpoint(c, in -> {
                trainer.loadState(in);
                return c.step();
            })).orElse(0L);
            resume.ifPresent(c -> log.info("job {} resumes from step {}", job.id(), c.step()));
            registry.saveRunInfo(modelInfo(job, dataset, spec, start));
            listener.jobStarted(progress.update(j -> j.started(clock.instant(), start, trainer.epochAt(start)), true));

            long windowStart = System.nanoTime();
            long windowSteps = 0;
            for (long step = start; step < config.steps(); step++) {
                if (stopRequested.getAsBoolean()) {
                    checkpoint(trainer, job.id(), step, progress, listener);
                    return Outcome.STOPPED;
                }
                StepResult losses = trainer.step(step);
                if (!losses.isFinite()) {
                    throw new TrainingDivergedException(step + 1, losses);
                }
                windowSteps++;
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                double perStep = seconds / windowSteps;
                long done = step + 1;
                listener.stepCompleted(progress.update(j -> j.progressed(done, trainer.epochAt(done), losses,
                        config.batchSize() / perStep, perStep), false));
                if (seconds > 5) { // a sliding window, so the rate follows the machine's current load
                    windowStart = System.nanoTime();
                    windowSteps = 0;
                }
                if (done % config.checkpointEvery() == 0 && done < config.steps()) {
                    checkpoint(trainer, job.id(), done, progress, listener);
                }
            }
            checkpoint(trainer, job.id(), config.steps(), progress, listener);
            ModelInfo model = modelInfo(job, dataset, spec, config.steps());
            registry.saveGenerator(model, trainer.servedGenerator()::saveParameters);
            listener.modelReady(model);
            return Outcome.COMPLETED;
        }
    }

    /** A job that names another device than the service's trains under a manager of its own on it. */
    private NDManager managerFor(DeviceKind kind) {
        Device device = switch (kind) {
            case AUTO -> engineManager.getDevice();
            case CPU -> Device.cpu();
            case GPU -> Device.gpu();
        };
        return device.equals(engineManager.getDevice()) ? engineManager.newSubManager() : NDManager.newBaseManager(device);
    }

    private ModelInfo modelInfo(Job job, Dataset dataset, NetworkSpec spec, long step) {
        return new ModelInfo(job.id(), job.config().dataset(), dataset.kind(), job.config(), spec, step, clock.instant());
    }

    private void checkpoint(GanTrainer trainer, String jobId, long step, Progress progress, JobListener listener) {
        if (step == 0) {
            return;
        }
        long start = System.nanoTime();
        Checkpoint written = registry.saveCheckpoint(jobId, step, trainer::saveState);
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);
        Job job = progress.update(j -> j.checkpointed(step), true);
        listener.checkpointWritten(job, written.sizeBytes(), took);
    }
}
