package io.ganserve.jobs;

import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import io.ganserve.registry.DeviceKind;
import io.ganserve.registry.EvaluationPlan;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.TranslationPlan;
import io.ganserve.registry.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A CycleGAN job's configuration from its request: Zhu et al.'s settings (least squares, Adam 2e-4
 * with β1 0.5, λ 10, identity ½λ, a pool of 50, the rate constant then decaying linearly over the
 * second half), at the size docs/translation.md measured on two CPU cores: 32 px, generators of 16
 * filters with 4 residual blocks, critics of 32, batch 8, 6,000 steps.
 */
final class TranslationDefaults {

    static final int STEPS = 6_000;
    static final int BATCH = 8;
    static final int SIDE = 32;
    static final TranslationPlan PLAN = new TranslationPlan(null, 16, 4, 32, 10f, 0.5f, 50);

    private TranslationDefaults() {}

    static TrainingConfig resolve(JobRequest r, PrecisionDefaults precision) {
        CycleGanRequest c = r.cycleGan() != null ? r.cycleGan() : new CycleGanRequest(null, null, null, null, null, null);
        TranslationPlan plan = new TranslationPlan(r.target(),
                Objects.requireNonNullElse(c.generatorFilters(), PLAN.generatorFilters()),
                Objects.requireNonNullElse(c.residualBlocks(), PLAN.residualBlocks()),
                Objects.requireNonNullElse(c.criticFilters(), PLAN.criticFilters()),
                Objects.requireNonNullElse(c.cycleWeight(), PLAN.cycleWeight()),
                Objects.requireNonNullElse(c.identityWeight(), PLAN.identityWeight()),
                Objects.requireNonNullElse(c.poolSize(), PLAN.poolSize()));
        float rate = Objects.requireNonNullElse(r.generatorLearningRate(), 2e-4f);
        DeviceKind device = Objects.requireNonNullElse(r.device(), DeviceKind.AUTO);
        return new TrainingConfig(r.dataset(), Architecture.CYCLEGAN, LossKind.LEAST_SQUARES,
                Objects.requireNonNullElse(r.steps(), STEPS),
                Objects.requireNonNullElse(r.batchSize(), BATCH),
                1, 0, 0, 0, 0,
                Objects.requireNonNullElse(r.imageSize(), SIDE),
                rate,
                Objects.requireNonNullElse(r.discriminatorLearningRate(), rate),
                Objects.requireNonNullElse(r.beta1(), 0.5f),
                Objects.requireNonNullElse(r.beta2(), 0.999f),
                LearningRateSchedule.HALF_THEN_LINEAR,
                Objects.requireNonNullElse(r.seed(), 42L),
                Objects.requireNonNullElse(r.checkpointEvery(), 500),
                device,
                new Variant(OptimizerKind.ADAM, 0, 0, false, 1, 0f, false, io.ganserve.registry.InfoGan.OFF),
                new EvaluationPlan(Objects.requireNonNullElse(r.evaluateEvery(), 0), 0, null, null,
                        Objects.requireNonNullElse(r.evaluateAtEnd(), true)),
                null, plan, null, precision.resolve(r.precision(), Architecture.CYCLEGAN, device));
    }

    /** The request's fields that mean nothing to a CycleGAN, by name: asked for, they answer 400. */
    static List<String> inapplicable(JobRequest r) {
        List<String> fields = new ArrayList<>();
        add(fields, "loss", r.loss());
        add(fields, "discriminatorSteps", r.discriminatorSteps());
        add(fields, "latentDim", r.latentDim());
        add(fields, "hiddenUnits", r.hiddenUnits());
        add(fields, "hiddenLayers", r.hiddenLayers());
        add(fields, "featureMaps", r.featureMaps());
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
        return fields;
    }

    private static void add(List<String> fields, String name, Object value) {
        if (value != null) {
            fields.add(name);
        }
    }
}
