package io.ganserve.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ganserve.data.Dataset;
import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.NativeArrays;
import io.ganserve.engine.optim.AdamOptimizer;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.gan.SemiSupervisedNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.Lock;

/**
 * The GAN paper's semi-supervised item, as Salimans et al. (2016) built it: the discriminator is
 * a K-class classifier whose "fake" class is implicit, trained on N labelled images, on every
 * training image unlabelled, and on generated images; the generator is trained by feature matching
 * ({@code ‖mean f(x) − mean f(G(z))‖²} on the discriminator's last hidden layer). With
 * {@code supervisedOnly} the same network is trained on the N labelled images alone: the baseline.
 *
 * <p>(1) Update D: {@code CE(l(x_lab), y) + [softplus(L(x)) − L(x)] + softplus(L(G(z)))}, where
 * {@code L = logsumexp(l)}, so that D(x) = σ(L(x)). (2) Update G: feature matching, through a frozen D.
 */
public final class SemiSupervisedTrainer implements AutoCloseable {

    /**
     * @param labels labelled images in all: an equal share of each class, drawn with the seed
     * @param learningRate the classifier's Adam rate (β 0.5, 0.999)
     * @param generatorLearningRate the generator's
     * @param width the discriminator's first convolution's feature maps
     * @param precision what each step's convolutions and products multiply in
     */
    public record Settings(int labels, int steps, int batchSize, float learningRate, float generatorLearningRate,
                           int width, long seed, boolean supervisedOnly, Precision precision) {

        public Settings {
            if (precision == null) {
                throw new IllegalArgumentException("precision is required");
            }
        }

        /** In float32. */
        public Settings(int labels, int steps, int batchSize, float learningRate, float generatorLearningRate,
                        int width, long seed, boolean supervisedOnly) {
            this(labels, steps, batchSize, learningRate, generatorLearningRate, width, seed, supervisedOnly,
                    Precision.FLOAT32);
        }

        /** Both networks at one rate, in float32. */
        public Settings(int labels, int steps, int batchSize, float learningRate, int width, long seed,
                        boolean supervisedOnly) {
            this(labels, steps, batchSize, learningRate, learningRate, width, seed, supervisedOnly);
        }
    }

    private final Settings settings;
    private final int classes;
    private final int[] shape;
    private final NDManager manager;
    private final Lock collectorLock;
    private final SemiSupervisedNetwork network;
    private final Block generator;
    private final NetworkSpec generatorSpec;
    private final AdamOptimizer classifierOptimizer;
    private final AdamOptimizer generatorOptimizer;
    private final List<Parameter> classifierTrainable;
    private final BatchSource unlabelled;
    private final float[] labelledImages;
    private final int[] labelledClasses;

    public SemiSupervisedTrainer(Dataset train, NetworkSpec generatorSpec, Settings settings, NDManager parent,
                                 Lock collectorLock) {
        this.settings = settings;
        this.classes = train.numClasses();
        if (classes < 2 || settings.labels() < classes) {
            throw new IllegalArgumentException("needs a labelled dataset and at least one label per class; got "
                    + classes + " classes and " + settings.labels() + " labels");
        }
        this.shape = train.sampleShape();
        this.generatorSpec = generatorSpec;
        this.collectorLock = collectorLock;
        this.manager = parent.newSubManager();
        int length = train.sampleLength();
        int[] chosen = pickLabelled(train, settings.labels(), settings.seed());
        this.labelledImages = new float[chosen.length * length];
        this.labelledClasses = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            train.copySample(chosen[i], labelledImages, i * length);
            labelledClasses[i] = train.label(chosen[i]);
        }
        this.unlabelled = new BatchSource(train, settings.batchSize(), 1, generatorSpec.latentDim(), settings.seed());
        this.network = new SemiSupervisedNetwork(classes, settings.width(), shape[1]);
        collectorLock.lock(); // libtorch's generator is process-wide (see GanTrainer)
        try {
            Engine.getInstance().setRandomSeed((int) settings.seed());
            network.initialize(manager, shape[0], shape[1]);
            this.generator = GanModelZoo.generator(generatorSpec, manager);
        } finally {
            collectorLock.unlock();
        }
        this.classifierOptimizer = new AdamOptimizer(network.block(), manager, settings.learningRate(), 0.5f, 0.999f);
        this.generatorOptimizer = new AdamOptimizer(generator, manager, settings.generatorLearningRate(), 0.5f, 0.999f);
        this.classifierTrainable = network.block().getParameters().values().stream()
                .filter(Parameter::requiresGradient).toList();
    }

    /** An equal share of {@code count} per class, drawn without replacement with the seed. */
    static int[] pickLabelled(Dataset train, int count, long seed) {
        int k = train.numClasses();
        List<List<Integer>> byClass = new java.util.ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new java.util.ArrayList<>());
        }
        for (int i = 0; i < train.size(); i++) {
            byClass.get(train.label(i)).add(i);
        }
        Random rng = new Random(seed ^ 0x6C6162656C6564L);
        int[] out = new int[count];
        int at = 0;
        for (int c = 0; c < k; c++) {
            List<Integer> pool = byClass.get(c);
            java.util.Collections.shuffle(pool, rng);
            int share = count / k + (c < count % k ? 1 : 0);
            for (int j = 0; j < share; j++) {
                out[at++] = pool.get(j);
            }
        }
        return out;
    }

    /**
     * One step, in the settings' precision: (1) update D, (2) update G (not in the supervised-only
     * baseline). Its losses: the classifier's whole loss as the discriminator's, the feature-matching
     * distance as the generator's (0 in the baseline, which has no generator step).
     */
    public StepResult step(long step) {
        try (MixedPrecision.Scope scope = MixedPrecision.use(settings.precision())) {
            float loss = updateClassifier(step);
            float matching = settings.supervisedOnly() ? 0f : updateGenerator(step);
            return new StepResult(matching, loss);
        }
    }

    private float updateClassifier(long step) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray labelled = labelledBatch(scratch, step);
            NDArray oneHot = labelsBatch(scratch, step);
            NDArray real = settings.supervisedOnly() ? null : unlabelled.realBatch(scratch, step, 0);
            NDArray fake = settings.supervisedOnly() ? null : fakes(scratch, step, 0, false);
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = network.logits(network.features(labelled, scratch, true), scratch, true);
                NDArray loss = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
                if (!settings.supervisedOnly()) {
                    NDArray lReal = logSumExp(network.logits(network.features(real, scratch, true), scratch, true));
                    NDArray lFake = logSumExp(network.logits(network.features(fake, scratch, true), scratch, true));
                    // −log D(x) = softplus(L) − L for real images; −log(1 − D(G(z))) = softplus(L) for fakes
                    loss = loss.add(Activation.softPlus(lReal).sub(lReal).mean()).add(Activation.softPlus(lFake).mean());
                }
                collector.backward(loss);
                value = loss.getFloat();
            }
            classifierOptimizer.step(1f);
            return value;
        } finally {
            collectorLock.unlock();
        }
    }

    private float updateGenerator(long step) {
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager()) {
            float value;
            classifierTrainable.forEach(p -> p.freeze(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray real = unlabelled.realBatch(scratch, step, 0);
                NDArray target = network.features(real, scratch, true).mean(new int[] {0}).stopGradient();
                NDArray fake = fakes(scratch, step, 1, true);
                NDArray matched = network.features(fake, scratch, true).mean(new int[] {0});
                NDArray loss = matched.sub(target).square().mean();
                collector.backward(loss);
                value = loss.getFloat();
            } finally {
                classifierTrainable.forEach(p -> p.freeze(false));
            }
            generatorOptimizer.step(1f);
            return value;
        } finally {
            collectorLock.unlock();
        }
    }

    private NDArray fakes(NDManager scratch, long step, int k, boolean differentiable) {
        NDArray z = unlabelled.noise(scratch, step, k);
        if (differentiable) {
            return generator.forward(new ParameterStore(scratch, false), new NDList(z), true).singletonOrThrow();
        }
        return generator.forward(new ParameterStore(scratch, false), new NDList(z), true).singletonOrThrow()
                .stopGradient();
    }

    private static NDArray logSumExp(NDArray logits) {
        NDArray max = logits.max(new int[] {1}, true).stopGradient();
        return logits.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
    }

    private int[] labelledIndices(long step) {
        Random rng = new Random(settings.seed() * 1_000_003L + step);
        int[] picked = new int[settings.batchSize()];
        for (int i = 0; i < picked.length; i++) {
            picked[i] = rng.nextInt(labelledClasses.length);
        }
        return picked;
    }

    private NDArray labelledBatch(NDManager scratch, long step) {
        int length = labelledImages.length / labelledClasses.length;
        int[] picked = labelledIndices(step);
        float[] values = new float[picked.length * length];
        for (int i = 0; i < picked.length; i++) {
            System.arraycopy(labelledImages, picked[i] * length, values, i * length, length);
        }
        return scratch.create(values, new Shape(picked.length, shape[0], shape[1], shape[2]));
    }

    private NDArray labelsBatch(NDManager scratch, long step) {
        int[] picked = labelledIndices(step);
        float[] oneHot = new float[picked.length * classes];
        for (int i = 0; i < picked.length; i++) {
            oneHot[i * classes + labelledClasses[picked[i]]] = 1;
        }
        return scratch.create(oneHot, new Shape(picked.length, classes));
    }

    /** Share of {@code test}'s images whose most probable class is their label, in inference mode. */
    public double accuracy(Dataset test) {
        int length = test.sampleLength();
        long correct = 0;
        for (int from = 0; from < test.size(); from += 500) {
            int n = Math.min(500, test.size() - from);
            float[] values = new float[n * length];
            for (int i = 0; i < n; i++) {
                test.copySample(from + i, values, i * length);
            }
            try (NDManager scratch = manager.newSubManager(); GradModeOff off = new GradModeOff()) {
                NDArray x = scratch.create(values, new Shape(n, shape[0], shape[1], shape[2]));
                long[] predicted = network.logits(network.features(x, scratch, false), scratch, false).argMax(1)
                        .toType(DataType.INT64, false).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (predicted[i] == test.label(from + i)) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / test.size();
    }

    /** Passes over the unlabelled training images after {@code step} steps. */
    public double epochAt(long step) {
        return unlabelled.epochAt(step);
    }

    /** The classifier's layout, as serving rebuilds it. */
    public SemiSupervisedNetwork.Spec spec() {
        return new SemiSupervisedNetwork.Spec(classes, settings.width(), shape[0], shape[1]);
    }

    /** The classifier's parameters, as serving loads them. */
    public void saveClassifier(DataOutputStream out) throws IOException {
        network.block().saveParameters(out);
    }

    /**
     * What a resume needs: the classifier first (so a checkpoint classifies as the served file
     * does), its optimiser, and, unless this is the baseline, the generator and its optimiser. The
     * baseline's generator never moves from its seeded start, which the constructor draws again.
     */
    public void saveState(DataOutputStream out) throws IOException {
        saveClassifier(out);
        classifierOptimizer.save(out);
        if (!settings.supervisedOnly()) {
            generator.saveParameters(out);
            generatorOptimizer.save(out);
        }
    }

    public void loadState(DataInputStream in) throws IOException {
        try {
            NativeArrays.loadParameters(network.block(), manager, in);
            classifierOptimizer.load(in);
            if (!settings.supervisedOnly()) {
                NativeArrays.loadParameters(generator, manager, in);
                generatorOptimizer.load(in);
            }
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint does not match the networks: " + e.getMessage(), e);
        }
        NativeArrays.restoreGradients(network.block());
        NativeArrays.restoreGradients(generator);
    }

    @Override
    public void close() {
        classifierOptimizer.close();
        generatorOptimizer.close();
        manager.close();
    }
}
