package io.ganserve.registry;

import io.ganserve.data.Dataset;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import io.ganserve.gan.NetworkSpec;
import java.util.Arrays;
import java.util.List;

/**
 * A job's fully resolved configuration: every default filled in, so the record alone reproduces
 * the run.
 *
 * @param steps generator updates (iterations of Algorithm 1)
 * @param discriminatorSteps the paper's k: discriminator updates per generator update
 * @param imageSize side length images are resized to; 0 for point data
 * @param learningRateSchedule how both learning rates move over the run
 * @param checkpointEvery generator steps between checkpoints
 * @param device where the job trains
 * @param variant WGAN, gradient penalty, spectral norm, packing, EMA: see {@link Variant}
 * @param evaluation scoring during and after the run, early stop and keep-best: see {@link EvaluationPlan}
 */
public record TrainingConfig(
        String dataset,
        Architecture architecture,
        LossKind loss,
        int steps,
        int batchSize,
        int discriminatorSteps,
        int latentDim,
        int hiddenUnits,
        int hiddenLayers,
        int featureMaps,
        int imageSize,
        float generatorLearningRate,
        float discriminatorLearningRate,
        float beta1,
        float beta2,
        LearningRateSchedule learningRateSchedule,
        long seed,
        int checkpointEvery,
        DeviceKind device,
        Variant variant,
        EvaluationPlan evaluation) {

    /** Records written before a field existed read back with that field's neutral value. */
    public TrainingConfig {
        learningRateSchedule = learningRateSchedule == null ? LearningRateSchedule.CONSTANT : learningRateSchedule;
        device = device == null ? DeviceKind.AUTO : device;
        variant = variant == null ? Variant.NONE : variant;
        evaluation = evaluation == null ? EvaluationPlan.NONE : evaluation;
    }

    /** A configuration that scores nothing while it trains (tests and benchmarks). */
    public TrainingConfig(String dataset, Architecture architecture, LossKind loss, int steps, int batchSize,
                          int discriminatorSteps, int latentDim, int hiddenUnits, int hiddenLayers, int featureMaps,
                          int imageSize, float generatorLearningRate, float discriminatorLearningRate, float beta1,
                          float beta2, LearningRateSchedule learningRateSchedule, long seed, int checkpointEvery,
                          DeviceKind device, Variant variant) {
        this(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim, hiddenUnits, hiddenLayers,
                featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate, beta1, beta2,
                learningRateSchedule, seed, checkpointEvery, device, variant, EvaluationPlan.NONE);
    }

    /** The networks this configuration trains on {@code dataset}'s samples. */
    public NetworkSpec networkFor(Dataset dataset) {
        if (variant.conditional() && dataset.numClasses() == 0) {
            // the catalog called it labelled, but loading found no classes: better to fail than to train unconditionally
            throw new IllegalStateException("dataset " + dataset.name()
                    + " loaded without labels; a conditional GAN needs them");
        }
        List<Integer> shape = Arrays.stream(dataset.sampleShape()).boxed().toList();
        return new NetworkSpec(architecture, latentDim, shape, hiddenUnits, hiddenLayers, featureMaps, variant.pack(),
                variant.spectralNorm(), variant.conditional() ? dataset.numClasses() : 0, variant.infoGan().codes());
    }
}
