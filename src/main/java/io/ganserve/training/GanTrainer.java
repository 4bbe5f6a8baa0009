package io.ganserve.training;

import io.ganserve.engine.optim.AdamOptimizer;
import io.ganserve.engine.optim.GanOptimizer;
import io.ganserve.engine.optim.RmsPropOptimizer;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.registry.LearningRateSchedule;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ganserve.gan.GanLoss;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.MutualInformationLoss;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.engine.NativeArrays;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.locks.Lock;

/**
 * One generator/discriminator pair and the step that trains them: Goodfellow et al.'s Algorithm 1,
 * with the successors' changes as parts the step composes: a {@link Conditioning} (plain, packed,
 * class-conditional, InfoGAN codes), a {@link CriticConstraint} (weight clipping, gradient
 * penalty) and a {@link GeneratorAverage} (EMA).
 *
 * <p>Must run on a thread with grad mode off outside the collectors (see the job workers), so
 * that generating the discriminator's fakes records no graph into G.
 */
public final class GanTrainer implements AutoCloseable {

    private final NDManager manager;
    private final Block generator;
    private final Block discriminator;
    private final List<Parameter> discriminatorTrainable;
    private final GanLoss loss;
    private final boolean wasserstein;
    private final Conditioning conditioning;
    private final CriticConstraint constraint;
    private final GeneratorAverage average;
    private final GanOptimizer generatorOptimizer;
    private final GanOptimizer discriminatorOptimizer;
    private final BatchSource batches;
    private final int discriminatorSteps;
    private final Lock collectorLock;
    private final LearningRateSchedule schedule;
    private final long totalSteps;
    private final CodeOwnership ownership; // null: no ownership checks
    private final Precision precision;

    /**
     * @param collectorLock libtorch autograd in DJL allows one open gradient collector per JVM, so
     *     every trainer in the process shares this lock around its collectors
     */
    public GanTrainer(TrainingConfig config, NetworkSpec spec, BatchSource batches, NDManager parent, Lock collectorLock) {
        this.manager = parent.newSubManager();
        this.batches = batches;
        this.collectorLock = collectorLock;
        this.discriminatorSteps = config.discriminatorSteps();
        this.loss = config.loss().create();
        this.wasserstein = config.loss().isWasserstein();
        this.schedule = config.learningRateSchedule();
        this.totalSteps = config.steps();
        this.precision = config.precision();
        Variant variant = config.variant();
        this.conditioning = Conditioning.of(spec, variant);
        this.constraint = CriticConstraint.of(variant);
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
        this.average = GeneratorAverage.of(variant.emaDecay(), generator, spec, manager);
        this.ownership = CodeOwnership.of(variant.infoGan(), spec, config.steps(), config.seed());
        this.generatorOptimizer = optimizer(variant, generator, config, config.generatorLearningRate());
        this.discriminatorOptimizer = optimizer(variant, discriminator, config, config.discriminatorLearningRate());
        this.discriminatorTrainable = discriminator.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    private GanOptimizer optimizer(Variant variant, Block block, TrainingConfig config, float learningRate) {
        return switch (variant.optimizer()) {
            case ADAM -> new AdamOptimizer(block, manager, learningRate, config.beta1(), config.beta2());
            case RMSPROP -> new RmsPropOptimizer(block, manager, learningRate, 0.99f);
        };
    }

    /**
     * Iteration {@code step} of Algorithm 1: k steps on D, then one on G, in the job's precision. The
     * ownership check that may follow judges in float32, as evaluation does.
     */
    public StepResult step(long step) {
        float rate = schedule.factor(step, totalSteps);
        CriticStep d = null;
        GeneratorStep g;
        try (MixedPrecision.Scope scope = MixedPrecision.use(precision)) {
            for (int k = 0; k < discriminatorSteps; k++) {
                d = updateDiscriminator(step, k, rate);
            }
            g = updateGenerator(step, rate);
        }
        if (ownership != null) {
            ownership.afterStep(step, generator, discriminator, batches, manager, collectorLock);
        }
        return new StepResult(g.loss(), d.loss(), d.wasserstein(), d.penalty(), g.information());
    }

    private record GeneratorStep(float loss, Float information) {}

    private record CriticStep(float loss, Float wasserstein, Float penalty) {}

    /** (1) Update D: ascend its objective on a real batch and a batch of fakes made with grad mode off. */
    private CriticStep updateDiscriminator(long step, int k, float rate) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray real = conditioning.real(batches, scratch, step, k);
            Fakes fake = conditioning.fakes(generator, batches, scratch, step, k); // no graph reaches back into G
            CriticStep result;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray realOut = forward(discriminator, real, scratch);
                NDArray fakeOut = forward(discriminator, fake.input(), scratch);
                NDArray adversarial = loss.discriminatorLoss(conditioning.verdict(realOut), conditioning.verdict(fakeOut));
                NDArray total = plus(adversarial, conditioning.codeLoss(fakeOut, fake), MutualInformationLoss.Terms::loss);
                NDArray penalty = constraint.penalty(discriminator, real, fake.input(), batches, scratch, step, k);
                total = plus(total, penalty, p -> p);
                collector.backward(total);
                // −(critic loss) estimates the Wasserstein-1 distance
                result = new CriticStep(total.getFloat(), wasserstein ? -adversarial.getFloat() : null,
                        penalty == null ? null : penalty.getFloat());
            }
            discriminatorOptimizer.step(rate);
            constraint.afterUpdate(discriminatorTrainable, manager);
            return result;
        } finally {
            collectorLock.unlock();
        }
    }

    /** (2) Update G: descend its loss through a frozen D, so this step moves only G. */
    private GeneratorStep updateGenerator(long step, float rate) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            discriminatorTrainable.forEach(p -> p.freeze(true));
            GeneratorStep value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                Fakes fake = conditioning.fakes(generator, batches, scratch, step, discriminatorSteps);
                NDArray out = forward(discriminator, fake.input(), scratch);
                NDArray adversarial = loss.generatorLoss(conditioning.verdict(out));
                MutualInformationLoss.Terms codes = conditioning.codeLoss(out, fake);
                NDArray l = plus(adversarial, codes, MutualInformationLoss.Terms::loss);
                collector.backward(l);
                value = new GeneratorStep(l.getFloat(), codes == null ? null : codes.mutualInformation());
            } finally {
                discriminatorTrainable.forEach(p -> p.freeze(false));
            }
            generatorOptimizer.step(rate);
            average.update(generator);
            return value;
        } finally {
            collectorLock.unlock();
        }
    }

    /** {@code a + f(term)}, or {@code a} where there is no term. */
    private static <T> NDArray plus(NDArray a, T term, Function<T, NDArray> f) {
        return term == null ? a : a.add(f.apply(term));
    }

    /** A training-mode forward pass whose intermediate arrays land on {@code scratch}. */
    static NDArray forward(Block block, NDArray input, NDManager scratch) {
        return block.forward(new ParameterStore(scratch, false), new NDList(input), true).singletonOrThrow();
    }

    public Block generator() {
        return generator;
    }

    /** What serving gets: the moving average of G when the job keeps one, else G itself. */
    public Block servedGenerator() {
        return average.served(generator);
    }

    /** InfoGAN code values moved by the ownership check so far, as text (empty without the check). */
    public List<String> codeMoves() {
        return ownership == null ? List.of() : ownership.moves().stream().map(Object::toString).toList();
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
        average.save(out);
    }

    public void loadState(DataInputStream in) throws IOException {
        try {
            NativeArrays.loadParameters(generator, manager, in);
            NativeArrays.loadParameters(discriminator, manager, in);
            generatorOptimizer.load(in);
            discriminatorOptimizer.load(in);
            average.load(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint does not match the network: " + e.getMessage(), e);
        }
        NativeArrays.restoreGradients(generator);
        NativeArrays.restoreGradients(discriminator);
    }

    @Override
    public void close() {
        manager.close();
    }
}
