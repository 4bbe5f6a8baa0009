package io.ganserve.registry;

import io.ganserve.data.Dataset;
import io.ganserve.engine.precision.Precision;
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
 * @param parent the finished job whose final state (weights and optimiser moments) a fine-tuning run
 *     starts from, at that job's last step; null for a run from scratch
 * @param translation what makes the job a CycleGAN (its target domain, networks, loss weights); null
 *     for a GAN
 * @param semiSupervised what makes the job a semi-supervised classifier (its labels); null for
 *     every other job
 * @param precision what the training steps' convolutions and products multiply in, resolved (never
 *     {@code auto}); evaluation always runs float32
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
        EvaluationPlan evaluation,
        String parent,
        TranslationPlan translation,
        SemiSupervisedPlan semiSupervised,
        Precision precision) {

    /** A run of any kind in float32. */
    public TrainingConfig(String dataset, Architecture architecture, LossKind loss, int steps, int batchSize,
                          int discriminatorSteps, int latentDim, int hiddenUnits, int hiddenLayers, int featureMaps,
                          int imageSize, float generatorLearningRate, float discriminatorLearningRate, float beta1,
                          float beta2, LearningRateSchedule learningRateSchedule, long seed, int checkpointEvery,
                          DeviceKind device, Variant variant, EvaluationPlan evaluation, String parent,
                          TranslationPlan translation, SemiSupervisedPlan semiSupervised) {
        this(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim, hiddenUnits, hiddenLayers,
                featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate, beta1, beta2,
                learningRateSchedule, seed, checkpointEvery, device, variant, evaluation, parent, translation,
                semiSupervised, Precision.FLOAT32);
    }

    /** A GAN or CycleGAN run. */
    public TrainingConfig(String dataset, Architecture architecture, LossKind loss, int steps, int batchSize,
                          int discriminatorSteps, int latentDim, int hiddenUnits, int hiddenLayers, int featureMaps,
                          int imageSize, float generatorLearningRate, float discriminatorLearningRate, float beta1,
                          float beta2, LearningRateSchedule learningRateSchedule, long seed, int checkpointEvery,
                          DeviceKind device, Variant variant, EvaluationPlan evaluation, String parent,
                          TranslationPlan translation) {
        this(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim, hiddenUnits, hiddenLayers,
                featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate, beta1, beta2,
                learningRateSchedule, seed, checkpointEvery, device, variant, evaluation, parent, translation, null);
    }

    /** A GAN run, maybe fine-tuning {@code parent}. */
    public TrainingConfig(String dataset, Architecture architecture, LossKind loss, int steps, int batchSize,
                          int discriminatorSteps, int latentDim, int hiddenUnits, int hiddenLayers, int featureMaps,
                          int imageSize, float generatorLearningRate, float discriminatorLearningRate, float beta1,
                          float beta2, LearningRateSchedule learningRateSchedule, long seed, int checkpointEvery,
                          DeviceKind device, Variant variant, EvaluationPlan evaluation, String parent) {
        this(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim, hiddenUnits, hiddenLayers,
                featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate, beta1, beta2,
                learningRateSchedule, seed, checkpointEvery, device, variant, evaluation, parent, null);
    }

    /** A run from scratch (no parent). */
    public TrainingConfig(String dataset, Architecture architecture, LossKind loss, int steps, int batchSize,
                          int discriminatorSteps, int latentDim, int hiddenUnits, int hiddenLayers, int featureMaps,
                          int imageSize, float generatorLearningRate, float discriminatorLearningRate, float beta1,
                          float beta2, LearningRateSchedule learningRateSchedule, long seed, int checkpointEvery,
                          DeviceKind device, Variant variant, EvaluationPlan evaluation) {
        this(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim, hiddenUnits, hiddenLayers,
                featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate, beta1, beta2,
                learningRateSchedule, seed, checkpointEvery, device, variant, evaluation, null);
    }

    /** This configuration as a fine-tuning run of {@code parent} that trains to step {@code totalSteps}. */
    public TrainingConfig fineTuning(String parent, int totalSteps) {
        return new TrainingConfig(dataset, architecture, loss, totalSteps, batchSize, discriminatorSteps, latentDim,
                hiddenUnits, hiddenLayers, featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate,
                beta1, beta2, learningRateSchedule, seed, checkpointEvery, device, variant, evaluation, parent,
                translation, semiSupervised, precision);
    }

    /** This configuration training in {@code value}. */
    public TrainingConfig withPrecision(Precision value) {
        return new TrainingConfig(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim,
                hiddenUnits, hiddenLayers, featureMaps, imageSize, generatorLearningRate, discriminatorLearningRate,
                beta1, beta2, learningRateSchedule, seed, checkpointEvery, device, variant, evaluation, parent,
                translation, semiSupervised, value);
    }

    /** Whether the job trains a CycleGAN (two generators and two critics) rather than a GAN. */
    public boolean trainsTranslator() {
        return translation != null;
    }

    /**
     * Whether the job trains a semi-supervised classifier (and its labels-alone baseline) rather
     * than a generator to serve.
     */
    public boolean trainsClassifier() {
        return semiSupervised != null;
    }

    /** Records written before a field existed read back with that field's neutral value. */
    public TrainingConfig {
        learningRateSchedule = learningRateSchedule == null ? LearningRateSchedule.CONSTANT : learningRateSchedule;
        device = device == null ? DeviceKind.AUTO : device;
        variant = variant == null ? Variant.NONE : variant;
        evaluation = evaluation == null ? EvaluationPlan.NONE : evaluation;
        // every job before precision could be chosen trained in float32
        precision = precision == null ? Precision.FLOAT32 : precision;
    }

    /**
     * A configuration for {@code dataset} with neutral settings — a 2-layer MLP of 128 units, the
     * non-saturating loss, 1,000 steps of batch 64, Adam at 2e-4 (β 0.5, 0.999), seed 1, float32 — that
     * scores nothing while it trains; set what differs. Jobs get theirs from the request's defaults.
     */
    public static Builder builder(String dataset) {
        return new Builder(dataset);
    }

    public static final class Builder {
        private final String dataset;
        private Architecture architecture = Architecture.MLP;
        private LossKind loss = LossKind.NON_SATURATING;
        private int steps = 1000;
        private int batchSize = 64;
        private int discriminatorSteps = 1;
        private int latentDim = 16;
        private int hiddenUnits = 128;
        private int hiddenLayers = 2;
        private int featureMaps;
        private int imageSize;
        private float generatorLearningRate = 2e-4f;
        private float discriminatorLearningRate = 2e-4f;
        private float beta1 = 0.5f;
        private float beta2 = 0.999f;
        private LearningRateSchedule learningRateSchedule = LearningRateSchedule.CONSTANT;
        private long seed = 1;
        private int checkpointEvery = 1000;
        private DeviceKind device = DeviceKind.AUTO;
        private Variant variant = Variant.NONE;
        private EvaluationPlan evaluation = EvaluationPlan.NONE;
        private Precision precision = Precision.FLOAT32;

        private Builder(String dataset) {
            this.dataset = dataset;
        }

        public Builder architecture(Architecture value) {
            architecture = value;
            return this;
        }

        public Builder loss(LossKind value) {
            loss = value;
            return this;
        }

        public Builder steps(int value) {
            steps = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder discriminatorSteps(int value) {
            discriminatorSteps = value;
            return this;
        }

        public Builder latentDim(int value) {
            latentDim = value;
            return this;
        }

        /** An MLP's hidden layers: {@code layers} of {@code units} each. */
        public Builder hidden(int units, int layers) {
            hiddenUnits = units;
            hiddenLayers = layers;
            return this;
        }

        /** A DCGAN: base width {@code featureMaps} on images resized to {@code imageSize}; no MLP layers. */
        public Builder dcgan(int featureMaps, int imageSize) {
            this.architecture = Architecture.DCGAN;
            this.featureMaps = featureMaps;
            this.imageSize = imageSize;
            this.hiddenUnits = 0;
            this.hiddenLayers = 0;
            return this;
        }

        public Builder learningRates(float generator, float discriminator) {
            generatorLearningRate = generator;
            discriminatorLearningRate = discriminator;
            return this;
        }

        public Builder betas(float first, float second) {
            beta1 = first;
            beta2 = second;
            return this;
        }

        public Builder schedule(LearningRateSchedule value) {
            learningRateSchedule = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder checkpointEvery(int value) {
            checkpointEvery = value;
            return this;
        }

        public Builder device(DeviceKind value) {
            device = value;
            return this;
        }

        public Builder variant(Variant value) {
            variant = value;
            return this;
        }

        public Builder evaluation(EvaluationPlan value) {
            evaluation = value;
            return this;
        }

        public Builder precision(Precision value) {
            precision = value;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(dataset, architecture, loss, steps, batchSize, discriminatorSteps, latentDim,
                    hiddenUnits, hiddenLayers, featureMaps, imageSize, generatorLearningRate,
                    discriminatorLearningRate, beta1, beta2, learningRateSchedule, seed, checkpointEvery, device,
                    variant, evaluation, null, null, null, precision);
        }
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
