package io.ganserve.training;

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
import io.ganserve.gan.NetworkSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * One generator/discriminator pair and the step that trains them: Goodfellow et al.'s Algorithm 1.
 *
 * <p>Must run on a thread with grad mode off outside the collectors (see {@link TrainingThreads}),
 * so that generating the discriminator's fakes records no graph into G.
 */
public final class GanTrainer implements AutoCloseable {

    private final NDManager manager;
    private final NetworkSpec spec;
    private final Block generator;
    private final Block discriminator;
    private final GanLoss loss;
    private final AdamOptimizer generatorOptimizer;
    private final AdamOptimizer discriminatorOptimizer;
    private final BatchSource batches;
    private final int discriminatorSteps;
    private final Lock collectorLock;
    private final List<Parameter> discriminatorTrainable;
    private final LearningRateSchedule schedule;
    private final long totalSteps;

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
        this.schedule = config.learningRateSchedule();
        this.totalSteps = config.steps();
        Engine.getInstance().setRandomSeed((int) config.seed());
        this.generator = GanModelZoo.generator(spec, manager);
        this.discriminator = GanModelZoo.discriminator(spec, manager);
        this.generatorOptimizer = new AdamOptimizer(generator, manager,
                config.generatorLearningRate(), config.beta1(), config.beta2());
        this.discriminatorOptimizer = new AdamOptimizer(discriminator, manager,
                config.discriminatorLearningRate(), config.beta1(), config.beta2());
        this.discriminatorTrainable = discriminator.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    /** Iteration {@code step} of Algorithm 1: k steps on D, then one on G. */
    public StepResult step(long step) {
        float rate = schedule.factor(step, totalSteps);
        float dLoss = Float.NaN;
        for (int k = 0; k < discriminatorSteps; k++) {
            dLoss = discriminatorStep(step, k, rate);
        }
        float gLoss = generatorStep(step, rate);
        return new StepResult(gLoss, dLoss);
    }

    /** Ascend log D(x) + log(1 − D(G(z))) on a real batch and a batch of (detached) fakes. */
    private float discriminatorStep(long step, int k, float rate) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray real = batches.realBatch(scratch, step, k);
            NDArray fake = forward(generator, batches.noise(scratch, step, k), scratch); // no graph: grad mode off
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.discriminatorLoss(forward(discriminator, real, scratch), forward(discriminator, fake, scratch));
                collector.backward(l);
                value = l.getFloat();
            }
            discriminatorOptimizer.step(rate);
            return value;
        } finally {
            collectorLock.unlock();
        }
    }

    /** Descend the generator's loss through a frozen D, so this step moves only G. */
    private float generatorStep(long step, float rate) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray z = batches.noise(scratch, step, discriminatorSteps);
            discriminatorTrainable.forEach(p -> p.freeze(true));
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.generatorLoss(forward(discriminator, forward(generator, z, scratch), scratch));
                collector.backward(l);
                value = l.getFloat();
            } finally {
                discriminatorTrainable.forEach(p -> p.freeze(false));
            }
            generatorOptimizer.step(rate);
            return value;
        } finally {
            collectorLock.unlock();
        }
    }

    private static NDArray forward(Block block, NDArray input, NDManager scratch) {
        return block.forward(new ParameterStore(scratch, false), new NDList(input), true).singletonOrThrow();
    }

    public NetworkSpec spec() {
        return spec;
    }

    public Block generator() {
        return generator;
    }

    public Block discriminator() {
        return discriminator;
    }

    public double epochAt(long step) {
        return batches.epochAt(step);
    }

    /** G, D and both optimisers' state: everything a resumed run needs. */
    public void saveState(DataOutputStream out) throws IOException {
        generator.saveParameters(out);
        discriminator.saveParameters(out);
        generatorOptimizer.save(out);
        discriminatorOptimizer.save(out);
    }

    public void loadState(DataInputStream in) throws IOException {
        try {
            generator.loadParameters(manager, in);
            discriminator.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint does not match the network: " + e.getMessage(), e);
        }
        generatorOptimizer.load(in);
        discriminatorOptimizer.load(in);
        restoreGradients(generator);
        restoreGradients(discriminator);
    }

    /** DJL's loadParameters swaps in fresh arrays that no longer ask autograd for gradients. */
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
