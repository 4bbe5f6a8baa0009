package io.ganserve.jobs;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetClasses;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.gan.SemiSupervisedNetwork;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.ClassificationQuality;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.Scores;
import io.ganserve.registry.SemiSupervisedInfo;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.SemiSupervisedTrainer;
import io.ganserve.training.StepResult;
import io.ganserve.training.TrainingDivergedException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a semi-supervised job from its last checkpoint (or from scratch) to its final step, as
 * {@link TrainingRun} does for a GAN: Salimans et al.'s classifier with its generator, and in the
 * same loop, step for step, the baseline — the same network, initial weights, labelled images,
 * optimiser and steps, without the unlabelled and generated images. Checkpoints both, stops when
 * asked, scores both on the dataset's test split (every {@code evaluateEvery} steps and at the
 * end), and leaves the semi-supervised classifier where {@code POST /classifications} finds it.
 */
final class SemiSupervisedRun {

    private static final Logger log = LoggerFactory.getLogger(SemiSupervisedRun.class);

    /** Test images an evaluation passes at once ({@link SemiSupervisedTrainer#accuracy}'s chunk). */
    static final int EVALUATION_CHUNK = 500;

    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final Lock collectorLock;
    private final Clock clock;

    SemiSupervisedRun(ModelRegistry registry, DatasetCatalog catalog, Lock collectorLock, Clock clock) {
        this.registry = registry;
        this.catalog = catalog;
        this.collectorLock = collectorLock;
        this.clock = clock;
    }

    static SemiSupervisedNetwork.Spec classifierSpec(TrainingConfig config, int channels) {
        return new SemiSupervisedNetwork.Spec(config.semiSupervised().classes(), config.featureMaps(), channels,
                config.imageSize());
    }

    static NetworkSpec generatorSpec(TrainingConfig config, int channels) {
        return NetworkSpec.dcgan(config.latentDim(), List.of(channels, config.imageSize(), config.imageSize()),
                config.featureMaps());
    }

    static SemiSupervisedTrainer.Settings settings(TrainingConfig config, boolean supervisedOnly) {
        return new SemiSupervisedTrainer.Settings(config.semiSupervised().labels(), config.steps(), config.batchSize(),
                config.discriminatorLearningRate(), config.generatorLearningRate(), config.featureMaps(), config.seed(),
                supervisedOnly, config.precision()); // the baseline too: the comparison is of data, not arithmetic
    }

    TrainingRun.Outcome run(Job job, Dataset train, NDManager jobManager, TrainingRun.Progress progress,
                            BooleanSupplier stopRequested, JobListener listener) {
        TrainingConfig config = job.config();
        int classes = config.semiSupervised().classes();
        if (train.numClasses() != classes) {
            throw new IllegalStateException("dataset " + config.dataset() + " has " + train.numClasses()
                    + " classes now; the job was submitted for " + classes);
        }
        NetworkSpec generator = generatorSpec(config, train.sampleShape()[0]);
        List<String> classNames = classNames(config.dataset(), classes);
        TestSplit test = new TestSplit(config);
        // both draw their initial weights from the same seed: the baseline starts as the same network
        try (SemiSupervisedTrainer trainer = new SemiSupervisedTrainer(train, generator, settings(config, false),
                     jobManager, collectorLock);
             SemiSupervisedTrainer baseline = new SemiSupervisedTrainer(train, generator, settings(config, true),
                     jobManager, collectorLock)) {
            Optional<Checkpoint> resume = registry.latestCheckpoint(job.id());
            long start = resume.map(c -> registry.readCheckpoint(c, in -> {
                trainer.loadState(in);
                baseline.loadState(in);
                return c.step();
            })).orElse(0L);
            resume.ifPresent(c -> log.info("job {} resumes from step {}", job.id(), c.step()));
            registry.saveClassifierRun(info(job, trainer, classNames, start));
            listener.jobStarted(progress.update(j -> j.started(clock.instant(), start, trainer.epochAt(start)), true));

            StepRate rate = new StepRate();
            for (long step = start; step < config.steps(); step++) {
                if (stopRequested.getAsBoolean()) {
                    checkpoint(trainer, baseline, job.id(), step, progress, listener);
                    return TrainingRun.Outcome.STOPPED;
                }
                // the job's record keeps a GAN's two losses: feature matching as G's, the classifier's as D's
                StepResult losses = trainer.step(step);
                StepResult alone = baseline.step(step);
                if (!losses.isFinite() || !alone.isFinite()) {
                    throw new TrainingDivergedException(step + 1, losses.isFinite() ? alone : losses, step + 1);
                }
                double perStep = rate.stepDone();
                long done = step + 1;
                listener.stepCompleted(progress.update(j -> j.progressed(done, trainer.epochAt(done), losses,
                        config.batchSize() / perStep, perStep), false));
                if (done % config.checkpointEvery() == 0 && done < config.steps()) {
                    checkpoint(trainer, baseline, job.id(), done, progress, listener);
                }
                if (done < config.steps() && config.evaluation().scheduledAt(done)) {
                    evaluate(trainer, baseline, test, job, done, progress, listener);
                }
            }
            long last = config.steps();
            checkpoint(trainer, baseline, job.id(), last, progress, listener);
            if (config.evaluation().atEnd()) {
                evaluate(trainer, baseline, test, job, last, progress, listener);
            }
            registry.saveClassifier(info(job, trainer, classNames, last), trainer::saveClassifier);
            return TrainingRun.Outcome.COMPLETED;
        }
    }

    private SemiSupervisedInfo info(Job job, SemiSupervisedTrainer trainer, List<String> classNames, long step) {
        return new SemiSupervisedInfo(job.id(), job.config().dataset(), trainer.spec(), classNames,
                job.config().semiSupervised().labels(), step, clock.instant());
    }

    /** The dataset's class names where it has them and they still match the labels trained on; null otherwise. */
    private List<String> classNames(String dataset, int classes) {
        try {
            return catalog.classes(dataset).map(DatasetClasses::names).filter(n -> n.size() == classes).orElse(null);
        } catch (RuntimeException unreadable) {
            log.warn("class names of dataset {}: {}", dataset, unreadable.toString());
            return null;
        }
    }

    /**
     * Both classifiers' accuracy on the test split; a failure is recorded and logged and never fails
     * the run.
     */
    private void evaluate(SemiSupervisedTrainer trainer, SemiSupervisedTrainer baseline, TestSplit test, Job job,
                          long step, TrainingRun.Progress progress, JobListener listener) {
        TrainingConfig config = job.config();
        Instant requested = clock.instant();
        Evaluation done;
        try {
            Dataset images = test.get();
            Evaluation running = Evaluation.started(job.id(), step, "training", images.size(), config.seed(),
                    requested);
            long start = System.nanoTime();
            double accuracy = trainer.accuracy(images);
            double alone = baseline.accuracy(images);
            ClassificationQuality quality = new ClassificationQuality(config.semiSupervised().labels(), images.size(),
                    accuracy, alone);
            done = running.succeeded(step, Scores.ofClassification(quality,
                    Map.of("accuracy", (System.nanoTime() - start) / 1e9)), clock.instant());
        } catch (RuntimeException e) {
            log.warn("evaluation of job {} at step {} failed: {}", job.id(), step, e.toString());
            done = Evaluation.started(job.id(), step, "training", 0, config.seed(), requested)
                    .failed(e.getMessage(), clock.instant());
        }
        registry.saveEvaluation(done);
        Evaluation finished = done;
        Job updated = progress.update(j -> j.evaluated(finished, j.quality().bestStep(), j.quality().bestScore()), true);
        listener.evaluationFinished(updated, finished);
    }

    /** The test split, loaded at the run's first evaluation and kept for the others. */
    private final class TestSplit {
        private final TrainingConfig config;
        private Dataset loaded;

        TestSplit(TrainingConfig config) {
            this.config = config;
        }

        Dataset get() {
            if (loaded == null) {
                loaded = catalog.loadTestSplit(config.dataset(), config.imageSize());
            }
            return loaded;
        }
    }

    private void checkpoint(SemiSupervisedTrainer trainer, SemiSupervisedTrainer baseline, String jobId, long step,
                            TrainingRun.Progress progress, JobListener listener) {
        TrainingRun.checkpoint(registry, out -> {
            trainer.saveState(out);
            baseline.saveState(out);
        }, jobId, step, progress, listener);
    }
}
