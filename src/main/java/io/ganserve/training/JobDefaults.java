package io.ganserve.training;

import io.ganserve.data.DataKind;
import io.ganserve.gan.Architecture;
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
        float lr = images ? 2e-4f : 1e-3f;
        int imageSize = images ? Objects.requireNonNullElse(r.imageSize(), nativeImageSize > 0 ? nativeImageSize : 32) : 0;
        return new TrainingConfig(
                r.dataset(),
                architecture,
                Objects.requireNonNullElse(r.loss(), LossKind.NON_SATURATING),
                Objects.requireNonNullElse(r.steps(), images ? 2000 : 6000),
                Objects.requireNonNullElse(r.batchSize(), images ? 64 : 256),
                Objects.requireNonNullElse(r.discriminatorSteps(), 1),
                Objects.requireNonNullElse(r.latentDim(), images ? 100 : 16),
                Objects.requireNonNullElse(r.hiddenUnits(), images ? 512 : 128),
                Objects.requireNonNullElse(r.hiddenLayers(), images ? 2 : 3),
                Objects.requireNonNullElse(r.featureMaps(), 64),
                imageSize,
                Objects.requireNonNullElse(r.generatorLearningRate(), lr),
                Objects.requireNonNullElse(r.discriminatorLearningRate(), lr),
                Objects.requireNonNullElse(r.beta1(), 0.5f),
                Objects.requireNonNullElse(r.beta2(), 0.999f),
                Objects.requireNonNullElse(r.learningRateSchedule(),
                        images ? LearningRateSchedule.CONSTANT : LearningRateSchedule.LINEAR),
                Objects.requireNonNullElse(r.seed(), DEFAULT_SEED),
                Objects.requireNonNullElse(r.checkpointEvery(), images ? 500 : 1000),
                Objects.requireNonNullElse(r.device(), DeviceKind.AUTO));
    }
}
