package io.ganserve.jobs;

import io.ganserve.engine.precision.Precision;
import io.ganserve.engine.precision.PrecisionChoice;
import io.ganserve.registry.DeviceKind;
import io.ganserve.registry.EvaluationPlan;
import io.ganserve.registry.InfoGan;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import io.ganserve.data.DataKind;
import io.ganserve.registry.Metric;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.GradientPenalty;
import io.ganserve.gan.LossKind;
import java.util.Objects;

/**
 * Fills a {@link JobRequest}'s gaps. Images get the DCGAN paper's settings (Adam 2e-4, β1 0.5,
 * batch 64, z of 100); points get a small MLP GAN and, when the job names no variant, the
 * best-measured one on ring8 and grid25: InfoGAN with one categorical value per mixture component
 * (docs/variants.md).
 */
public final class JobDefaults {

    /**
     * Image jobs' default length: on Fashion-MNIST (seed 1, both precisions) FD falls 39 → 25 → 12 → 7.3
     * at 1,000 / 2,000 / 5,000 / 10,000 steps, by 6.4 over the 1,000 steps after 2,000 and by under
     * 2 per 1,000 after 5,000: the knee of the curve (docs/evaluation.md#fashion-mnist-quality-against-steps).
     */
    static final int IMAGE_STEPS = 5000;

    private static final long DEFAULT_SEED = 42;
    /** Chen et al.'s MNIST setting: 62 noise dimensions, G at 1e-3 and D at 2e-4. */
    private static final int INFOGAN_NOISE = 62;
    private static final float INFOGAN_G_RATE = 1e-3f;
    private static final float INFOGAN_D_RATE = 2e-4f;
    /** Point default: steps between checks that each code value owns a mode (docs/variants.md). */
    static final int OWNERSHIP_EVERY = 500;

    private JobDefaults() {}

    /**
     * As {@link #resolve(JobRequest, DataKind, int, int, PrecisionDefaults)} on a host without native
     * bfloat16 whose service default is {@code auto}: a job trains in float32 unless it asks for bfloat16.
     */
    public static TrainingConfig resolve(JobRequest r, DataKind kind, int nativeImageSize, int mixtureModes) {
        return resolve(r, kind, nativeImageSize, mixtureModes, PrecisionDefaults.FLOAT32_HOST);
    }

    /**
     * @param nativeImageSize the dataset's own side length, 0 when it has none (points, or folders of mixed sizes)
     * @param mixtureModes the components of a point dataset's mixture, 0 when unknown or not points
     * @param precision the service default and the hardware a job's {@code precision} is resolved against
     */
    public static TrainingConfig resolve(JobRequest r, DataKind kind, int nativeImageSize, int mixtureModes,
                                         PrecisionDefaults precision) {
        if (r.architecture() == Architecture.CYCLEGAN) {
            return TranslationDefaults.resolve(r, precision);
        }
        if (r.architecture() == Architecture.SEMI_SUPERVISED) {
            // its default label count follows the dataset's classes, which JobPreview reads
            throw new IllegalArgumentException("a semi-supervised job is resolved by JobPreview, which knows the "
                    + "dataset's classes");
        }
        boolean images = kind == DataKind.IMAGES;
        Architecture architecture = Objects.requireNonNullElse(r.architecture(), images ? Architecture.DCGAN : Architecture.MLP);
        LossKind loss = Objects.requireNonNullElse(r.loss(), LossKind.NON_SATURATING);
        InfoGan infoGan = infoGan(r, kind, mixtureModes);
        // InfoGAN's own MNIST settings where it trains images with the original loss
        boolean infoGanPaper = images && infoGan.enabled()
                && (loss == LossKind.NON_SATURATING || loss == LossKind.MINIMAX);
        PaperSettings paper = PaperSettings.of(loss, images);
        float lr = paper.learningRate();
        int imageSize = images ? Objects.requireNonNullElse(r.imageSize(), nativeImageSize > 0 ? nativeImageSize : 32) : 0;
        return new TrainingConfig(
                r.dataset(),
                architecture,
                loss,
                Objects.requireNonNullElse(r.steps(), images ? IMAGE_STEPS : 10_000),
                Objects.requireNonNullElse(r.batchSize(), images ? 64 : 256),
                Objects.requireNonNullElse(r.discriminatorSteps(), paper.discriminatorSteps()),
                Objects.requireNonNullElse(r.latentDim(), infoGanPaper ? INFOGAN_NOISE : images ? 100 : 16),
                Objects.requireNonNullElse(r.hiddenUnits(), images ? 512 : 256),
                Objects.requireNonNullElse(r.hiddenLayers(), images ? 2 : 3),
                // DCGAN's width alone: 0 (and left out of the job's view) where no convolution reads it
                architecture == Architecture.DCGAN ? Objects.requireNonNullElse(r.featureMaps(), 64) : 0,
                imageSize,
                Objects.requireNonNullElse(r.generatorLearningRate(), infoGanPaper ? INFOGAN_G_RATE : lr),
                Objects.requireNonNullElse(r.discriminatorLearningRate(), infoGanPaper ? INFOGAN_D_RATE : lr),
                Objects.requireNonNullElse(r.beta1(), paper.beta1()),
                Objects.requireNonNullElse(r.beta2(), paper.beta2()),
                Objects.requireNonNullElse(r.learningRateSchedule(),
                        images ? LearningRateSchedule.CONSTANT : LearningRateSchedule.LINEAR),
                Objects.requireNonNullElse(r.seed(), DEFAULT_SEED),
                Objects.requireNonNullElse(r.checkpointEvery(), images ? 500 : 1000),
                Objects.requireNonNullElse(r.device(), DeviceKind.AUTO),
                new Variant(
                        Objects.requireNonNullElse(r.optimizer(), paper.optimizer()),
                        Objects.requireNonNullElse(r.clipValue(), paper.clipValue()),
                        Objects.requireNonNullElse(r.gradientPenalty(), paper.gradientPenalty()),
                        Objects.requireNonNullElse(r.spectralNorm(), false),
                        Objects.requireNonNullElse(r.pack(), 1),
                        Objects.requireNonNullElse(r.emaDecay(), defaultEmaDecay(r, images, infoGan)),
                        Objects.requireNonNullElse(r.conditional(), false),
                        infoGan),
                evaluationPlan(r, images),
                null, null, null,
                precision.resolve(r.precision(), architecture, Objects.requireNonNullElse(r.device(), DeviceKind.AUTO)));
    }

    /**
     * The one rule for what a run's convolutions and products multiply in: the run's own choice,
     * else the service's; {@code auto} is bfloat16 only where it pays, convolutional networks on a
     * device with native bfloat16 arithmetic. The MLP point models gain nothing: ring8 trained at
     * 20,284 points/s in bfloat16 against 22,421 in float32 (their products are too small for the
     * casts to pay), and without native bfloat16 the arithmetic is emulated through float32.
     *
     * @param asked the run's choice; null when it names none
     * @param service the service default, {@code ganserve.engine.precision}
     */
    public static Precision precision(PrecisionChoice asked, PrecisionChoice service, boolean convolutional,
                                      boolean nativeBf16) {
        return (asked != null ? asked : Objects.requireNonNull(service, "service")).resolve(convolutional, nativeBf16);
    }

    /**
     * The point default (the code per mode below) serves a generator averaged over its steps: with
     * 0.999 every seed of 1-10 put 100% (grid25: at least 99.9%) of its samples within 3 std of a
     * mode, where the last weights alone left ring8's seed 9 at 91.4%, its modes spread wider than the
     * data's (docs/variants.md). Images and jobs that choose their own variant get none unless asked.
     */
    static final float POINT_EMA_DECAY = 0.999f;

    private static float defaultEmaDecay(JobRequest r, boolean images, InfoGan infoGan) {
        return !images && r.infoGan() == null && infoGan.enabled() ? POINT_EMA_DECAY : 0f;
    }

    /**
     * A discrete code with a value per mode lets G place each mode from its own input instead of
     * tearing one Gaussian apart, which (as we read it) leaves samples between modes: on grid25 it took
     * the high-quality share from 30-55% to 99-100% (docs/variants.md). Only for a job that names no variant, so
     * a job asking for one (wgan, pack, spectral norm...) trains that variant alone.
     */
    private static InfoGan infoGan(JobRequest r, DataKind kind, int mixtureModes) {
        if (r.infoGan() != null) {
            return r.infoGan().resolve();
        }
        boolean namesAVariant = r.loss() != null || r.pack() != null || r.spectralNorm() != null
                || r.conditional() != null || r.gradientPenalty() != null || r.clipValue() != null
                || r.optimizer() != null;
        if (kind != DataKind.POINTS || mixtureModes < 2 || namesAVariant) {
            return InfoGan.OFF;
        }
        // what a user would ask for: {"categorical": K, "continuous": 0}, the weights at their defaults,
        // with each value checked for a mode of its own (training.CodeOwnership, docs/variants.md)
        return new InfoGanRequest(mixtureModes, 0, null, null).resolve().withOwnershipEvery(OWNERSHIP_EVERY);
    }

    /**
     * Scores at the end of every run by default, on the protocols' sample counts (2,500 points,
     * 10,000 images); the best generator is kept by FD for images and by reverse KL for points.
     */
    private static EvaluationPlan evaluationPlan(JobRequest r, boolean images) {
        int samples = Objects.requireNonNullElse(r.evaluationSamples(),
                images ? EvaluationPlan.IMAGE_SAMPLES : EvaluationPlan.POINT_SAMPLES);
        Metric bestBy = r.keepBestBy() != null ? r.keepBestBy()
                : r.stopWhen() != null ? r.stopWhen().metric()
                : images ? Metric.FD : Metric.KL;
        return new EvaluationPlan(Objects.requireNonNullElse(r.evaluateEvery(), 0), samples, r.stopWhen(), bestBy,
                Objects.requireNonNullElse(r.evaluateAtEnd(), true));
    }

    /**
     * Each loss's published optimiser settings (from each loss's paper): WGAN's RMSProp 5e-5 with five critic
     * steps and clipping at 0.01; WGAN-GP's Adam 1e-4 (β 0, 0.9), five critic steps, λ 10; the hinge
     * loss's Adam 2e-4 (β 0, 0.9) with five discriminator steps. The original losses and least squares keep DCGAN's
     * Adam 2e-4 (β 0.5, 0.999) for images and the measured 1e-3 for points.
     */
    record PaperSettings(float learningRate, float beta1, float beta2, int discriminatorSteps,
                         OptimizerKind optimizer, float clipValue, float gradientPenalty) {

        static PaperSettings of(LossKind loss, boolean images) {
            return switch (loss) {
                case WGAN -> new PaperSettings(5e-5f, 0.5f, 0.999f, 5, OptimizerKind.RMSPROP, 0.01f, 0);
                case WGAN_GP -> new PaperSettings(1e-4f, 0f, 0.9f, 5, OptimizerKind.ADAM, 0, GradientPenalty.DEFAULT_LAMBDA);
                case HINGE -> new PaperSettings(2e-4f, 0f, 0.9f, 5, OptimizerKind.ADAM, 0, 0);
                case MINIMAX, NON_SATURATING, LEAST_SQUARES ->
                        new PaperSettings(images ? 2e-4f : 1e-3f, 0.5f, 0.999f, 1, OptimizerKind.ADAM, 0, 0);
            };
        }
    }
}
