package io.ganserve.jobs;

import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.DeviceKind;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.EvaluationPlan;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.BatchSource;
import io.ganserve.training.GanTrainer;
import io.ganserve.training.StepResult;
import io.ganserve.training.TrainingDivergedException;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.ganserve.data.Dataset;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.evaluation.SampleSource;
import io.ganserve.registry.Scores;
import io.ganserve.gan.ChunkedForward;
import io.ganserve.gan.LatentInputs;
import io.ganserve.gan.NetworkSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
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
    private final Evaluator evaluator;
    private final TranslationRun translations;
    private final SemiSupervisedRun classifiers;

    /** @param evaluator scores the run as its plan asks; null scores nothing */
    TrainingRun(ModelRegistry registry, io.ganserve.data.DatasetCatalog catalog, NDManager engineManager,
                Lock collectorLock, Clock clock, Evaluator evaluator) {
        this.registry = registry;
        this.engineManager = engineManager;
        this.collectorLock = collectorLock;
        this.clock = clock;
        this.evaluator = evaluator;
        this.translations = new TranslationRun(registry, catalog, engineManager, collectorLock, clock);
        this.classifiers = new SemiSupervisedRun(registry, catalog, collectorLock, clock);
    }

    Outcome run(Job job, Dataset dataset, Progress progress, BooleanSupplier stopRequested, JobListener listener) {
        TrainingConfig config = job.config();
        // this worker holds the job's lease: a checkpoint half-written by its last owner is garbage now
        registry.sweepCheckpointTemporaries(job.id());
        if (config.trainsTranslator()) {
            try (NDManager jobManager = managerFor(config.device())) {
                return translations.run(job, dataset, jobManager, progress, stopRequested, listener);
            }
        }
        if (config.trainsClassifier()) {
            try (NDManager jobManager = managerFor(config.device())) {
                return classifiers.run(job, dataset, jobManager, progress, stopRequested, listener);
            }
        }
        NetworkSpec spec = config.networkFor(dataset);
        Diverged first = null;
        while (true) {
            Attempt attempt = train(job, dataset, spec, progress, stopRequested, listener, first == null);
            if (attempt.outcome() != null) {
                return attempt.outcome();
            }
            Diverged diverged = attempt.diverged();
            if (first != null) {
                throw new TrainingDivergedException(diverged.step(), diverged.losses(), first.step());
            }
            // Batches and initial weights are functions of (seed, step), so a replay from the last
            // checkpoint repeats a real divergence step for step; one that does not repeat was not
            // the model's doing, and the run goes on.
            first = diverged;
            long from = registry.latestCheckpoint(job.id()).map(Checkpoint::step).orElse(0L);
            log.warn("job {}: losses turned non-finite at step {} ({}); replaying from step {} to see whether "
                    + "it repeats", job.id(), diverged.step(), diverged.losses(), from);
            listener.divergenceReplayed(job, diverged.step(), from);
        }
    }

    /** A non-finite step: the step number (1-based, as progress counts) and its losses. */
    private record Diverged(long step, StepResult losses) {}

    /** Either an outcome or a divergence. */
    private record Attempt(Outcome outcome, Diverged diverged) {}

    private Attempt train(Job job, Dataset dataset, NetworkSpec spec, Progress progress, BooleanSupplier stopRequested,
                          JobListener listener, boolean announce) {
        TrainingConfig config = job.config();
        BatchSource batches = new BatchSource(dataset, config.batchSize(), config.discriminatorSteps(),
                config.latentDim(), config.seed());
        try (NDManager jobManager = managerFor(config.device());
             GanTrainer trainer = new GanTrainer(config, spec, batches, jobManager, collectorLock)) {
            Optional<Checkpoint> resume = registry.latestCheckpoint(job.id());
            long start = resume.map(c -> registry.readCheckpoint(c, in -> {
                trainer.loadState(in);
                return c.step();
            })).orElse(0L);
            if (announce) {
                resume.ifPresent(c -> log.info("job {} resumes from step {}", job.id(), c.step()));
                registry.saveRunInfo(modelInfo(job, dataset, spec, start));
                listener.jobStarted(progress.update(j -> j.started(clock.instant(), start, trainer.epochAt(start)), true));
            }

            StepRate rate = new StepRate();
            for (long step = start; step < config.steps(); step++) {
                if (stopRequested.getAsBoolean()) {
                    checkpoint(trainer, job.id(), step, progress, listener);
                    return new Attempt(Outcome.STOPPED, null);
                }
                StepResult losses = trainer.step(step);
                if (!losses.isFinite()) {
                    return new Attempt(null, new Diverged(step + 1, losses));
                }
                double perStep = rate.stepDone();
                long done = step + 1;
                listener.stepCompleted(progress.update(j -> j.progressed(done, trainer.epochAt(done), losses,
                        config.batchSize() / perStep, perStep), false));
                if (done % config.checkpointEvery() == 0 && done < config.steps()) {
                    checkpoint(trainer, job.id(), done, progress, listener);
                }
                if (done < config.steps() && config.evaluation().evaluatesAt(done)
                        && evaluate(trainer, job, dataset, spec, done, progress, listener)) {
                    progress.update(j -> j.stoppedEarly("stopWhen " + config.evaluation().stopWhen()
                            + " met at step " + done), true);
                    log.info("job {} stops early at step {}: {} met", job.id(), done, config.evaluation().stopWhen());
                    finish(trainer, job, dataset, spec, done, progress, listener, false);
                    return new Attempt(Outcome.COMPLETED, null);
                }
            }
            finish(trainer, job, dataset, spec, config.steps(), progress, listener, config.evaluation().atEnd());
            return new Attempt(Outcome.COMPLETED, null);
        }
    }

    /** The last checkpoint and the served generator; scored first when asked, so keep-best sees the final step too. */
    private void finish(GanTrainer trainer, Job job, Dataset dataset, NetworkSpec spec, long step, Progress progress,
                        JobListener listener, boolean score) {
        checkpoint(trainer, job.id(), step, progress, listener);
        if (score) {
            evaluate(trainer, job, dataset, spec, step, progress, listener);
        }
        ModelInfo model = modelInfo(job, dataset, spec, step);
        registry.saveGenerator(model, trainer.servedGenerator()::saveParameters);
        listener.modelReady(model);
    }

    /**
     * Scores the served generator as it is at {@code step}, records the evaluation, keeps the
     * generator if it is the best so far, and says whether the plan's early-stop condition is met.
     * A failing evaluation is recorded and logged; it never fails the training run.
     */
    private boolean evaluate(GanTrainer trainer, Job job, Dataset dataset, NetworkSpec spec, long step,
                             Progress progress, JobListener listener) {
        EvaluationPlan plan = job.config().evaluation();
        if (evaluator == null || plan.samples() <= 0) {
            return false;
        }
        long seed = job.config().seed();
        Evaluation running = Evaluation.started(job.id(), step, "training", plan.samples(), seed, clock.instant());
        Evaluation done;
        try {
            Scores scores = evaluator.evaluate(job.config().dataset(), job.config().imageSize(),
                    samplesOf(trainer, spec), plan.samples(), seed);
            done = running.succeeded(step, scores, clock.instant());
        } catch (RuntimeException e) {
            log.warn("evaluation of job {} at step {} failed: {}", job.id(), step, e.toString());
            done = running.failed(e.getMessage(), clock.instant());
        }
        registry.saveEvaluation(done);
        Evaluation finished = done;
        Double value = finished.scores() == null || plan.keepBestBy() == null
                ? null : finished.scores().value(plan.keepBestBy());
        Job current = progress.update(j -> j, false);
        boolean better = value != null && plan.keepBestBy().improves(value, current.quality().bestScore());
        if (better) {
            registry.saveBest(new ModelRegistry.BestModel(modelInfo(job, dataset, spec, step), plan.keepBestBy().id(),
                    value), trainer.servedGenerator()::saveParameters);
        }
        Job updated = progress.update(j -> j.evaluated(finished, better ? Long.valueOf(step) : j.quality().bestStep(),
                better ? value : j.quality().bestScore()), true);
        listener.evaluationFinished(updated, finished);
        return plan.stopWhen() != null && finished.scores() != null
                && plan.stopWhen().isMetBy(finished.scores().value(plan.stopWhen().metric()));
    }

    /** The served generator (EMA when kept) as a sample source, drawing its inputs as training does. */
    private static SampleSource samplesOf(GanTrainer trainer, NetworkSpec spec) {
        return (manager, n, seed) -> {
            float[] input = LatentInputs.draw(spec, n, new Random(seed));
            return ChunkedForward.run(trainer.servedGenerator(), manager, input, n, spec.generatorInputDim(),
                    io.ganserve.evaluation.EvaluationCost.GENERATOR_PASS);
        };
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
        checkpoint(registry, trainer::saveState, jobId, step, progress, listener);
    }

    /** Writes a run's state at {@code step} (none at step 0), records it on the job and tells the listeners. */
    static void checkpoint(ModelRegistry registry, ModelRegistry.Writer state, String jobId, long step,
                           Progress progress, JobListener listener) {
        if (step == 0) {
            return;
        }
        long start = System.nanoTime();
        Checkpoint written = registry.saveCheckpoint(jobId, step, state);
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);
        Job job = progress.update(j -> j.checkpointed(step), true);
        listener.checkpointWritten(job, written.sizeBytes(), took);
    }
}
