package io.ganserve.jobs;

import io.ganserve.data.DataKind;
import io.ganserve.data.DatasetClasses;
import io.ganserve.data.DatasetInfo;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import io.ganserve.registry.DeviceKind;
import io.ganserve.registry.EvaluationPlan;
import io.ganserve.registry.InfoGan;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.registry.SemiSupervisedPlan;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A semi-supervised job's configuration from its request, at the settings docs/inference.md
 * measured on Fashion-MNIST ({@code bench.SemiSupervisedBench}): 10 labels per class, 3,000 steps of
 * batch 64, Adam 3e-4 (β 0.5, 0.999) for both networks, width 32 for the classifier's first
 * convolution and the generator's base, z of 100. {@code featureMaps} sets both widths.
 *
 * <p>The configuration's {@code loss} reads {@code minimax}: the classifier's unsupervised terms
 * are the GAN paper's discriminator loss; the generator's is feature matching, which no loss
 * kind names.
 */
final class SemiSupervisedDefaults {

    static final int STEPS = 3_000;
    static final int BATCH = 64;
    static final int WIDTH = 32;
    static final int LATENT = 100;
    static final float RATE = 3e-4f;
    static final int LABELS_PER_CLASS = 10;
    private static final Set<Integer> SIZES = Set.of(28, 32, 64);

    private SemiSupervisedDefaults() {}

    /**
     * @param nativeImageSize the dataset's own side, 0 where it has none (a folder: 32)
     * @param classes the dataset's classes, for the default label count
     * @param precision what the job's {@code precision} is resolved against
     */
    static TrainingConfig resolve(JobRequest r, int nativeImageSize, int classes, PrecisionDefaults precision) {
        float rate = Objects.requireNonNullElse(r.discriminatorLearningRate(), RATE);
        int labels = Objects.requireNonNullElse(r.labels(), LABELS_PER_CLASS * classes);
        DeviceKind device = Objects.requireNonNullElse(r.device(), DeviceKind.AUTO);
        return new TrainingConfig(r.dataset(), Architecture.SEMI_SUPERVISED, LossKind.MINIMAX,
                Objects.requireNonNullElse(r.steps(), STEPS),
                Objects.requireNonNullElse(r.batchSize(), BATCH),
                1,
                Objects.requireNonNullElse(r.latentDim(), LATENT),
                0, 0,
                Objects.requireNonNullElse(r.featureMaps(), WIDTH),
                Objects.requireNonNullElse(r.imageSize(), nativeImageSize > 0 ? nativeImageSize : 32),
                Objects.requireNonNullElse(r.generatorLearningRate(), rate),
                rate,
                0.5f, 0.999f,
                LearningRateSchedule.CONSTANT,
                Objects.requireNonNullElse(r.seed(), 42L),
                Objects.requireNonNullElse(r.checkpointEvery(), 500),
                device,
                new Variant(OptimizerKind.ADAM, 0, 0, false, 1, 0f, false, InfoGan.OFF),
                new EvaluationPlan(Objects.requireNonNullElse(r.evaluateEvery(), 0), 0, null, null,
                        Objects.requireNonNullElse(r.evaluateAtEnd(), true)),
                null, null, new SemiSupervisedPlan(labels, classes),
                precision.resolve(r.precision(), Architecture.SEMI_SUPERVISED, device));
    }

    /**
     * What the dataset and the label count must be, beyond the request's own ranges: labelled
     * images of at least two classes, an equal share of labels per class that every class can
     * give, and an image size the networks are built for.
     *
     * @param classes the dataset's classes; empty when it has none
     */
    static void check(JobRequest request, TrainingConfig config, DatasetInfo dataset, Optional<DatasetClasses> classes) {
        List<String> inapplicable = inapplicable(request);
        if (!inapplicable.isEmpty()) {
            throw new InvalidJobException(inapplicable.get(0), "does not apply to architecture semi-supervised (Adam "
                    + "with β 0.5, 0.999 at a constant rate, the GAN paper's discriminator loss with feature matching for "
                    + "the generator; see docs/inference.md); leave out " + String.join(", ", inapplicable));
        }
        if (dataset.kind() != DataKind.IMAGES) {
            throw new InvalidJobException("dataset", "a semi-supervised classifier learns from labelled images; '"
                    + dataset.name() + "' is a point dataset");
        }
        if (classes.isEmpty() || classes.get().count() < 2) {
            throw new InvalidJobException("dataset", "a semi-supervised classifier needs labelled images of at least "
                    + "two classes, and '" + dataset.name() + "' has " + (classes.isEmpty() ? "no labels (an image "
                    + "folder needs one subfolder per class)" : "one class"));
        }
        DatasetClasses k = classes.get();
        int labels = config.semiSupervised().labels();
        if (labels % k.count() != 0) {
            int below = labels / k.count() * k.count();
            throw new InvalidJobException("labels", "must be a multiple of the " + k.count() + " classes of '"
                    + dataset.name() + "' (an equal share of each); " + labels + " is not: use "
                    + (below > 0 ? below + " or " : "") + (below + k.count()));
        }
        int perClass = labels / k.count();
        int smallest = k.smallest();
        if (perClass > k.trainingImages()[smallest]) {
            throw new InvalidJobException("labels", labels + " asks for " + perClass + " labelled images of each "
                    + "class, but class '" + k.names().get(smallest) + "' of '" + dataset.name() + "' has only "
                    + k.trainingImages()[smallest] + " training images; use at most "
                    + (long) k.trainingImages()[smallest] * k.count());
        }
        if (!SIZES.contains(config.imageSize())) {
            throw new InvalidJobException("imageSize", "the classifier and its generator are built for 28, 32 and 64 "
                    + "pixels, not " + config.imageSize());
        }
    }

    /** The request's fields that mean nothing to a semi-supervised job, by name: asked for, they answer 400. */
    static List<String> inapplicable(JobRequest r) {
        List<String> fields = new ArrayList<>();
        add(fields, "loss", r.loss());
        add(fields, "discriminatorSteps", r.discriminatorSteps());
        add(fields, "hiddenUnits", r.hiddenUnits());
        add(fields, "hiddenLayers", r.hiddenLayers());
        add(fields, "beta1", r.beta1());
        add(fields, "beta2", r.beta2());
        add(fields, "learningRateSchedule", r.learningRateSchedule());
        add(fields, "optimizer", r.optimizer());
        add(fields, "clipValue", r.clipValue());
        add(fields, "gradientPenalty", r.gradientPenalty());
        add(fields, "spectralNorm", r.spectralNorm());
        add(fields, "pack", r.pack());
        add(fields, "emaDecay", r.emaDecay());
        add(fields, "conditional", r.conditional());
        add(fields, "infoGan", r.infoGan());
        add(fields, "evaluationSamples", r.evaluationSamples());
        add(fields, "stopWhen", r.stopWhen());
        add(fields, "keepBestBy", r.keepBestBy());
        add(fields, "parent", r.parent());
        add(fields, "target", r.target());
        add(fields, "cycleGan", r.cycleGan());
        return fields;
    }

    private static void add(List<String> fields, String name, Object value) {
        if (value != null) {
            fields.add(name);
        }
    }
}
