package io.ganserve.training;

import io.ganserve.engine.optim.AdamOptimizer;
import io.ganserve.engine.optim.GanOptimizer;
import io.ganserve.engine.optim.RmsPropOptimizer;
import io.ganserve.registry.InfoGan;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.GanLoss;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.GradientPenalty;
import io.ganserve.gan.MutualInformationLoss;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.engine.NativeArrays;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * One generator/discriminator pair and the step that trains them: Goodfellow et al.'s Algorithm 1,
 * with the successors' changes where the job's {@link Variant} asks for them (weight clipping,
 * gradient penalty, packing, a moving average of G, conditioning both networks on the class).
 *
 * <p>Must run on a thread with grad mode off outside the collectors (see {@link JobService}), so
 * that generating the discriminator's fakes records no graph into G.
 */
public final class GanTrainer implements AutoCloseable {

    private final NDManager manager;
    private final NetworkSpec spec;
    private final Block generator;
    private final Block discriminator;
    private final Block averagedGenerator;
    private final GanLoss loss;
    private final boolean wasserstein;
    private final Variant variant;
    private final GanOptimizer generatorOptimizer;
    private final GanOptimizer discriminatorOptimizer;
    private final BatchSource batches;
    private final int discriminatorSteps;
    private final Lock collectorLock;
    private final List<Parameter> discriminatorTrainable;
    private final LearningRateSchedule schedule;
    private final long totalSteps;
    /** InfoGAN's L_I; null for other GANs. */
    private final MutualInformationLoss information;

    /**
     * @param collectorLock libtorch autograd in DJL allows one open gradient collector per JVM, so
     *     every trainer in the process shares this lock around its collectors
     */
    public GanTrainer(TrainingConfig config, NetworkSpec spec, BatchSource batches, NDManager parent, Lock collectorLock) {
        this.manager = parent.newSubManager();
        this.spec = spec;
        this.batches = batches;
        this.collectorLock = collectorLock;
        this.discriminatorSteps = config.discriminatorSteps();
        this.loss = config.loss().create();
        this.wasserstein = config.loss().isWasserstein();
        this.variant = config.variant();
        this.schedule = config.learningRateSchedule();
        this.totalSteps = config.steps();
        InfoGan info = variant.infoGan();
        this.information = info.enabled()
                ? new MutualInformationLoss(info.codes(), info.lambda(), info.continuousLambda())
                : null;
        // libtorch's generator is process-wide: another job seeding or drawing between these lines
        // would change this job's initial weights, so seeded runs hold the trainers' lock meanwhile
        collectorLock.lock();
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            this.generator = GanModelZoo.generator(spec, manager);
            this.discriminator = GanModelZoo.discriminator(spec, manager);
        } finally {
            collectorLock.unlock();
        }
        this.averagedGenerator = variant.emaDecay() > 0 ? copyOf(generator) : null;
        this.generatorOptimizer = optimizer(generator, config, config.generatorLearningRate());
        this.discriminatorOptimizer = optimizer(discriminator, config, config.discriminatorLearningRate());
        this.discriminatorTrainable = discriminator.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    private GanOptimizer optimizer(Block block, TrainingConfig config, float learningRate) {
        return switch (variant.optimizer()) {
            case ADAM -> new AdamOptimizer(block, manager, learningRate, config.beta1(), config.beta2());
            case RMSPROP -> new RmsPropOptimizer(block, manager, learningRate, 0.99f);
        };
    }

    /** Iteration {@code step} of Algorithm 1: k steps on D, then one on G. */
    public StepResult step(long step) {
        float rate = schedule.factor(step, totalSteps);
        CriticStep last = null;
        for (int k = 0; k < discriminatorSteps; k++) {
            last = discriminatorStep(step, k, rate);
        }
        GeneratorStep g = generatorStep(step, rate);
        return new StepResult(g.loss(), last.loss(), last.wasserstein(), last.penalty(), g.information());
    }

    private record GeneratorStep(float loss, Float information) {}

    private record CriticStep(float loss, Float wasserstein, Float penalty) {}

    /** Ascend D's objective on a real batch and a batch of (detached) fakes. */
    private CriticStep discriminatorStep(long step, int k, float rate) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray real = packed(batches.realBatch(scratch, step, k));
            NDArray z = batches.noise(scratch, step, k);
            NDArray fake;
            NDArray codes = null;
            // the fakes are made with grad mode off, so no graph reaches back into G
            if (spec.isConditional()) {
                NDArray fakeLabels = batches.fakeLabels(scratch, step, k);
                fake = discriminatorInput(forward(generator, withLabels(z, fakeLabels), scratch), fakeLabels);
                real = discriminatorInput(real, batches.realLabels(scratch, step, k));
            } else if (information != null) {
                codes = batches.codes(scratch, step, k, spec.codes());
                fake = forward(generator, z.concat(codes, 1), scratch);
            } else {
                fake = packed(forward(generator, z, scratch));
            }
            CriticStep result;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray realOut = forward(discriminator, real, scratch);
                NDArray fakeOut = forward(discriminator, fake, scratch);
                NDArray adversarial = loss.discriminatorLoss(logit(realOut), logit(fakeOut));
                NDArray total = adversarial;
                if (codes != null) {
                    // Q trains with D, on the same fakes: the original InfoGAN adds L_I to both players' losses
                    total = total.add(information.evaluate(qHead(fakeOut), codes).loss());
                }
                Float penalty = null;
                if (variant.gradientPenalty() > 0) {
                    NDArray epsilon = batches.uniform(scratch, step, k, real.getShape().get(0));
                    NDArray gp = GradientPenalty.penalty(discriminator, real, fake, epsilon, variant.gradientPenalty(),
                            new ParameterStore(scratch, false));
                    total = total.add(gp);
                    penalty = gp.getFloat();
                }
                collector.backward(total);
                // −(critic loss) estimates the Wasserstein-1 distance
                result = new CriticStep(total.getFloat(), wasserstein ? -adversarial.getFloat() : null, penalty);
            }
            discriminatorOptimizer.step(rate);
            if (variant.clipValue() > 0) {
                clipDiscriminator(variant.clipValue());
            }
            return result;
        } finally {
            collectorLock.unlock();
        }
    }

    /** Descend the generator's loss through a frozen D, so this step moves only G. */
    private GeneratorStep generatorStep(long step, float rate) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray z = batches.noise(scratch, step, discriminatorSteps);
            // fresh classes for G's own step, shown to D beside the fakes made for them
            NDArray labels = spec.isConditional() ? batches.fakeLabels(scratch, step, discriminatorSteps) : null;
            NDArray codes = information != null ? batches.codes(scratch, step, discriminatorSteps, spec.codes()) : null;
            discriminatorTrainable.forEach(p -> p.freeze(true));
            GeneratorStep value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray fake;
                if (labels != null) {
                    fake = discriminatorInput(forward(generator, withLabels(z, labels), scratch), labels);
                } else if (codes != null) {
                    fake = forward(generator, z.concat(codes, 1), scratch);
                } else {
                    fake = packed(forward(generator, z, scratch));
                }
                NDArray out = forward(discriminator, fake, scratch);
                NDArray l = loss.generatorLoss(logit(out));
                Float mutualInformation = null;
                if (codes != null) {
                    MutualInformationLoss.Terms terms = information.evaluate(qHead(out), codes);
                    l = l.add(terms.loss());
                    mutualInformation = terms.mutualInformation();
                }
                collector.backward(l);
                value = new GeneratorStep(l.getFloat(), mutualInformation);
            } finally {
                discriminatorTrainable.forEach(p -> p.freeze(false));
            }
            generatorOptimizer.step(rate);
            if (averagedGenerator != null) {
                updateAverage(variant.emaDecay());
            }
            return value;
        } finally {
            collectorLock.unlock();
        }
    }

    /** D's verdict: column 0 of its output when a Q head shares the last layer (InfoGAN), else all of it. */
    private NDArray logit(NDArray discriminatorOutput) {
        return information == null ? discriminatorOutput : discriminatorOutput.get(new NDIndex(":, 0:1"));
    }

    /** The Q head's columns: InfoGAN's categorical logits, then the continuous codes' means. */
    private static NDArray qHead(NDArray discriminatorOutput) {
        return discriminatorOutput.get(new NDIndex(":, 1:"));
    }

    /** PacGAN: m consecutive samples become one example, stacked along the first data axis. */
    private NDArray packed(NDArray batch) {
        int m = spec.pack();
        if (m == 1) {
            return batch;
        }
        Shape s = batch.getShape();
        long[] dims = s.getShape().clone();
        dims[0] = s.get(0) / m;
        dims[1] = s.get(1) * m;
        return batch.reshape(dims); // N x C x H x W -> N/m x m·C x H x W (points: N x 2 -> N/m x 2m)
    }

    /** G(z | y) reads the one-hot class after the noise: N x latentDim + N x K -> N x (latentDim + K). */
    private static NDArray withLabels(NDArray z, NDArray oneHot) {
        return z.concat(oneHot, 1);
    }

    /**
     * D(x | y): for an MLP the class follows the flattened sample (N x (len + K)); for a DCGAN it
     * becomes K constant planes after the image's channels (N x (C + K) x H x W), which the
     * projection discriminator reads back. Packing is refused for conditional jobs, so there is none here.
     */
    private NDArray discriminatorInput(NDArray x, NDArray oneHot) {
        long n = x.getShape().get(0);
        if (spec.architecture() == Architecture.MLP) {
            return x.reshape(n, -1).concat(oneHot, 1);
        }
        Shape s = x.getShape();
        NDArray planes = oneHot.reshape(n, spec.numClasses(), 1, 1)
                .broadcast(new Shape(n, spec.numClasses(), s.get(2), s.get(3)));
        return x.concat(planes, 1);
    }

    /**
     * Arjovsky et al.: keep the critic in a compact set by clipping every parameter after each update.
     * Not {@code w.clip(-c, c)}: DJL makes its two bounds as arrays on the parameter's manager and
     * never closes them, which leaked 8 MB a step; these bounds are closed here.
     */
    private void clipDiscriminator(float c) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray low = scratch.create(-c);
            NDArray high = scratch.create(c);
            for (Parameter p : discriminatorTrainable) {
                NDArray w = p.getArray();
                // results of ops on w land on w's manager, which lives as long as the job: close each
                try (NDArray below = w.minimum(high);
                        NDArray clipped = below.maximum(low);
                        NDArray excess = w.sub(clipped)) {
                    w.subi(excess);
                }
            }
        }
    }

    /** θ_avg ← d·θ_avg + (1 − d)·θ; batch-norm statistics are copied, not averaged. */
    private void updateAverage(float decay) {
        List<Parameter> live = generator.getParameters().values();
        List<Parameter> avg = averagedGenerator.getParameters().values();
        for (int i = 0; i < live.size(); i++) {
            NDArray a = avg.get(i).getArray();
            NDArray g = live.get(i).getArray();
            if (live.get(i).requiresGradient()) {
                try (NDArray moved = g.sub(a)) {
                    a.addi(moved.muli(1 - decay));
                }
            } else {
                NativeArrays.copy(g, a);
            }
        }
    }

    private Block copyOf(Block source) {
        Block copy = GanModelZoo.emptyGenerator(spec, manager);
        List<Parameter> from = source.getParameters().values();
        List<Parameter> to = copy.getParameters().values();
        for (int i = 0; i < from.size(); i++) {
            NativeArrays.copy(from.get(i).getArray(), to.get(i).getArray());
            to.get(i).getArray().setRequiresGradient(false);
        }
        return copy;
    }

    private static NDArray forward(Block block, NDArray input, NDManager scratch) {
        return block.forward(new ParameterStore(scratch, false), new NDList(input), true).singletonOrThrow();
    }

    public Block generator() {
        return generator;
    }

    /** What serving gets: the moving average of G when the job keeps one, else G itself. */
    public Block servedGenerator() {
        return averagedGenerator != null ? averagedGenerator : generator;
    }

    public Block discriminator() {
        return discriminator;
    }

    public double epochAt(long step) {
        return batches.epochAt(step);
    }

    /** G, D, both optimisers' state and the averaged G: everything a resumed run needs. */
    public void saveState(DataOutputStream out) throws IOException {
        generator.saveParameters(out);
        discriminator.saveParameters(out);
        generatorOptimizer.save(out);
        discriminatorOptimizer.save(out);
        if (averagedGenerator != null) {
            averagedGenerator.saveParameters(out);
        }
    }

    public void loadState(DataInputStream in) throws IOException {
        try {
            NativeArrays.loadParameters(generator, manager, in);
            NativeArrays.loadParameters(discriminator, manager, in);
            generatorOptimizer.load(in);
            discriminatorOptimizer.load(in);
            if (averagedGenerator != null) {
                NativeArrays.loadParameters(averagedGenerator, manager, in);
            }
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint does not match the network: " + e.getMessage(), e);
        }
        restoreGradients(generator);
        restoreGradients(discriminator);
    }

    /** Loaded parameters are fresh arrays that no longer ask autograd for gradients. */
    private static void restoreGradients(Block block) {
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
