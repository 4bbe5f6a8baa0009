package io.ganserve.jobs;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.EmojiImages;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.translation.PairedImages;
import io.ganserve.evaluation.translation.TranslationEvaluator;
import io.ganserve.evaluation.translation.TranslationJudges;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.Scores;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.TranslationPlan;
import io.ganserve.registry.TranslationQuality;
import io.ganserve.registry.TranslatorInfo;
import io.ganserve.training.StepResult;
import io.ganserve.training.TrainingDivergedException;
import io.ganserve.training.cyclegan.CycleGanSettings;
import io.ganserve.training.cyclegan.CycleGanTrainer;
import io.ganserve.training.cyclegan.CycleStepResult;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a CycleGAN job from its last checkpoint (or from scratch) to its final step, as
 * {@link TrainingRun} does for a GAN: checkpoints on the way, stops when asked, scores the pair of
 * generators on held-out pairs (every {@code evaluateEvery} steps and at the end), and leaves them
 * where serving finds translators.
 */
final class TranslationRun {

    private static final Logger log = LoggerFactory.getLogger(TranslationRun.class);

    /** Held-out pairs an evaluation scores at most (the emoji hold out about 370). */
    static final int EVALUATION_PAIRS = 1_000;
    /** The judges' training: enough epochs that the vendor classifier is right on ≥ 95% of real held-out images. */
    static final ClassifierSettings JUDGES = ClassifierSettings.DEFAULTS.withEpochs(5);

    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final NDManager engineManager;
    private final Lock collectorLock;
    private final Clock clock;
    /** Judges by (source, target, side): trained once per process, on real images only. */
    private final Map<String, TranslationJudges> judges = new ConcurrentHashMap<>();

    TranslationRun(ModelRegistry registry, DatasetCatalog catalog, NDManager engineManager, Lock collectorLock,
                   Clock clock) {
        this.registry = registry;
        this.catalog = catalog;
        this.engineManager = engineManager;
        this.collectorLock = collectorLock;
        this.clock = clock;
    }

    static TranslatorSpec spec(TrainingConfig config, int channels) {
        return config.translation().spec(channels, config.imageSize());
    }

    static CycleGanSettings settings(TrainingConfig config, TranslatorSpec spec) {
        TranslationPlan plan = config.translation();
        return new CycleGanSettings(spec, config.steps(), config.batchSize(), config.generatorLearningRate(),
                config.beta1(), config.beta2(), plan.cycleWeight(), plan.identityWeight(), plan.poolSize(),
                config.seed(), config.precision());
    }

    TrainingRun.Outcome run(Job job, Dataset source, NDManager jobManager, TrainingRun.Progress progress,
                            BooleanSupplier stopRequested, JobListener listener) {
        TrainingConfig config = job.config();
        Dataset target = catalog.load(config.translation().target(), config.seed(), config.imageSize());
        TranslatorSpec spec = spec(config, source.sampleShape()[0]);
        try (CycleGanTrainer trainer = new CycleGanTrainer(settings(config, spec), source, target, jobManager,
                collectorLock)) {
            Optional<Checkpoint> resume = registry.latestCheckpoint(job.id());
            long start = resume.map(c -> registry.readCheckpoint(c, in -> {
                trainer.loadState(in);
                return c.step();
            })).orElse(0L);
            resume.ifPresent(c -> log.info("job {} resumes from step {}", job.id(), c.step()));
            registry.saveTranslatorRun(new TranslatorInfo(job.id(), config.dataset(), config.translation().target(),
                    spec, start, clock.instant()));
            listener.jobStarted(progress.update(j -> j.started(clock.instant(), start, trainer.epochAt(start)), true));

            StepRate rate = new StepRate();
            for (long step = start; step < config.steps(); step++) {
                if (stopRequested.getAsBoolean()) {
                    checkpoint(trainer, job.id(), step, progress, listener);
                    return TrainingRun.Outcome.STOPPED;
                }
                CycleStepResult r = trainer.step(step);
                // G is the generators' whole objective, D both critics summed; the objective's three parts
                // go with them, so the curves show which of them moves
                StepResult losses = new StepResult(r.generator(), r.criticA() + r.criticB(), null, null, null,
                        r.adversarial(), r.cycle(), r.identity());
                if (!r.isFinite()) {
                    throw new TrainingDivergedException(step + 1, losses, step + 1);
                }
                double perStep = rate.stepDone();
                long done = step + 1;
                listener.stepCompleted(progress.update(j -> j.progressed(done, trainer.epochAt(done), losses,
                        config.batchSize() / perStep, perStep), false));
                if (done % config.checkpointEvery() == 0 && done < config.steps()) {
                    checkpoint(trainer, job.id(), done, progress, listener);
                }
                if (done < config.steps() && config.evaluation().scheduledAt(done)) {
                    evaluate(trainer, job, spec, done, progress, listener);
                }
            }
            long last = config.steps();
            checkpoint(trainer, job.id(), last, progress, listener);
            if (config.evaluation().atEnd()) {
                evaluate(trainer, job, spec, last, progress, listener);
            }
            registry.saveTranslator(new TranslatorInfo(job.id(), config.dataset(), config.translation().target(), spec,
                    last, clock.instant()), trainer::saveGenerators);
            return TrainingRun.Outcome.COMPLETED;
        }
    }

    /** Scores both generators on the held-out pairs; a failure is recorded and logged, never fails the run. */
    private void evaluate(CycleGanTrainer trainer, Job job, TranslatorSpec spec, long step,
                          TrainingRun.Progress progress, JobListener listener) {
        TrainingConfig config = job.config();
        Evaluation running = Evaluation.started(job.id(), step, "training", 0, config.seed(), clock.instant());
        Evaluation done;
        try {
            long start = System.nanoTime();
            TranslationJudges judge = judges(config.dataset(), config.translation().target(), spec.side());
            double judgeSeconds = (System.nanoTime() - start) / 1e9;
            PairedImages pairs = PairedImages.of(catalog.loadEmoji(config.dataset(), spec.side(), true),
                    catalog.loadEmoji(config.translation().target(), spec.side(), true)).first(EVALUATION_PAIRS);
            long scoring = System.nanoTime();
            TranslationQuality quality = TranslationEvaluator.evaluate(trainer.forwardGenerator(),
                    trainer.backwardGenerator(), spec, pairs, judge, engineManager);
            done = running.succeeded(step, Scores.ofTranslation(quality, Map.of("judges", judgeSeconds,
                    "translation", (System.nanoTime() - scoring) / 1e9)), clock.instant());
        } catch (RuntimeException e) {
            log.warn("evaluation of job {} at step {} failed: {}", job.id(), step, e.toString());
            done = running.failed(e.getMessage(), clock.instant());
        }
        registry.saveEvaluation(done);
        Evaluation finished = done;
        Job updated = progress.update(j -> j.evaluated(finished, j.quality().bestStep(), j.quality().bestScore()), true);
        listener.evaluationFinished(updated, finished);
    }

    private TranslationJudges judges(String source, String target, int side) {
        return judges.computeIfAbsent(source + "|" + target + "|" + side, key -> {
            EmojiImages.Named trainA = catalog.loadEmoji(source, side, false);
            EmojiImages.Named trainB = catalog.loadEmoji(target, side, false);
            EmojiImages.Named heldA = catalog.loadEmoji(source, side, true);
            EmojiImages.Named heldB = catalog.loadEmoji(target, side, true);
            return TranslationJudges.train(trainA.images(), trainB.images(), heldA.images(), heldB.images(), JUDGES,
                    engineManager, collectorLock);
        });
    }

    private void checkpoint(CycleGanTrainer trainer, String jobId, long step, TrainingRun.Progress progress,
                            JobListener listener) {
        TrainingRun.checkpoint(registry, trainer::saveState, jobId, step, progress, listener);
    }
}
