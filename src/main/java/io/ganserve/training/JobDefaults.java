package io.ganserve.training;

import io.ganserve.data.DataKind;
import io.ganserve.evaluation.Metric;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.GradientPenalty;
import io.ganserve.gan.LossKind;
import java.util.Objects;

/**
 * Fills a {@link JobRequest}'s gaps. Images get the DCGAN paper's settings (Adam 2e-4, β1 0.5,
 * batch 64, z of 100); points get a small MLP GAN tuned on ring8 (see README).
 */
public final class JobDefaults {

    private static final long DEFAULT_SEED = 42;

    private JobDefaults() {}

    /**
     * @param nativeImageSize the dataset's own side length, 0 when it has none (points, or folders of mixed sizes)
     */
    public static TrainingConfig resolve(JobRequest r, DataKind kind, int nativeImageSize) {
        boolean images = kind == DataKind.IMAGES;
        Architecture architecture = Objects.requireNonNullElse(r.architecture(), images ? Architecture.DCGAN : Architecture.MLP);
        LossKind loss = Objects.requireNonNullElse(r.loss(), LossKind.NON_SATURATING);
        PaperSettings paper = PaperSettings.of(loss, images);
        float lr = paper.learningRate();
        int imageSize = images ? Objects.requireNonNullElse(r.imageSize(), nativeImageSize > 0 ? nativeImageSize : 32) : 0;
        return new TrainingConfig(
                r.dataset(),
                architecture,
                loss,
                Objects.requireNonNullElse(r.steps(), images ? 2000 : 6000),
                Objects.requireNonNullElse(r.batchSize(), images ? 64 : 256),
                Objects.requireNonNullElse(r.discriminatorSteps(), paper.discriminatorSteps()),
                Objects.requireNonNullElse(r.latentDim(), images ? 100 : 16),
                Objects.requireNonNullElse(r.hiddenUnits(), images ? 512 : 256),
                Objects.requireNonNullElse(r.hiddenLayers(), images ? 2 : 3),
                Objects.requireNonNullElse(r.featureMaps(), 64),
                imageSize,
                Objects.requireNonNullElse(r.generatorLearningRate(), lr),
                Objects.requireNonNullElse(r.discriminatorLearningRate(), lr),
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
                        Objects.requireNonNullElse(r.emaDecay(), 0f),
                        Objects.requireNonNullElse(r.conditional(), false),
                        r.infoGan() == null ? InfoGan.OFF : r.infoGan().resolve()),
                evaluationPlan(r, images));
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
     * Each loss's published optimiser settings (GAN_NOTES.md): WGAN's RMSProp 5e-5 with five critic
     * steps and clipping at 0.01; WGAN-GP's Adam 1e-4 (β 0, 0.9), five critic steps, λ 10; the hinge
     * loss's Adam 2e-4 (β 0, 0.9) with five discriminator steps. The original losses keep DCGAN's
     * Adam 2e-4 (β 0.5, 0.999) for images and the measured 1e-3 for points.
     */
    record PaperSettings(float learningRate, float beta1, float beta2, int discriminatorSteps,
                         OptimizerKind optimizer, float clipValue, float gradientPenalty) {

        static PaperSettings of(LossKind loss, boolean images) {
            return switch (loss) {
                case WGAN -> new PaperSettings(5e-5f, 0.5f, 0.999f, 5, OptimizerKind.RMSPROP, 0.01f, 0);
                case WGAN_GP -> new PaperSettings(1e-4f, 0f, 0.9f, 5, OptimizerKind.ADAM, 0, GradientPenalty.DEFAULT_LAMBDA);
                case HINGE -> new PaperSettings(2e-4f, 0f, 0.9f, 5, OptimizerKind.ADAM, 0, 0);
                case MINIMAX, NON_SATURATING ->
                        new PaperSettings(images ? 2e-4f : 1e-3f, 0.5f, 0.999f, 1, OptimizerKind.ADAM, 0, 0);
            };
        }
    }
}
