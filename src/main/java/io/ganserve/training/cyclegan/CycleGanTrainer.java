package io.ganserve.training.cyclegan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ganserve.data.Dataset;
import io.ganserve.engine.NativeArrays;
import io.ganserve.engine.optim.AdamOptimizer;
import io.ganserve.engine.optim.GanOptimizer;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.gan.cyclegan.CycleGanNetworks;
import io.ganserve.gan.LeastSquaresLoss;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Zhu et al.'s CycleGAN: G translates A to B, F translates B to A, and critics D_A and D_B judge
 * each domain. Each step (1) updates G and F together against frozen critics, with the
 * cycle-consistency and identity terms, then (2) updates both critics on real images and on
 * translations from the image pools.
 *
 * <p>Like the GAN trainer, it must run on a thread with grad mode off outside its collectors.
 */
public final class CycleGanTrainer implements AutoCloseable {

    private final NDManager manager;
    private final CycleGanSettings settings;
    private final UnpairedBatches batches;
    private final Lock collectorLock;
    private final Block g; // A -> B
    private final Block f; // B -> A
    private final Block criticA;
    private final Block criticB;
    private final List<Parameter> criticParameters;
    private final GanOptimizer generatorsG;
    private final GanOptimizer generatorsF;
    private final GanOptimizer optimizerA;
    private final GanOptimizer optimizerB;
    private final ImagePool poolA;
    private final ImagePool poolB;
    private final LeastSquaresLoss loss = new LeastSquaresLoss();

    /**
     * @param a the source domain's training images, C x H x W in [-1, 1] at the spec's side
     * @param b the target domain's training images, the same shape
     * @param collectorLock the process-wide lock around gradient collectors (see the GAN trainer)
     */
    public CycleGanTrainer(CycleGanSettings settings, Dataset a, Dataset b, NDManager parent, Lock collectorLock) {
        TranslatorSpec spec = settings.spec();
        requireShape(a, spec);
        requireShape(b, spec);
        this.manager = parent.newSubManager();
        this.settings = settings;
        this.collectorLock = collectorLock;
        this.batches = new UnpairedBatches(a, b, settings.batchSize(), settings.seed());
        collectorLock.lock(); // libtorch's generator is process-wide: a seeded run holds it while it draws
        try {
            Engine.getInstance().setRandomSeed((int) settings.seed());
            this.g = CycleGanNetworks.generator(spec, manager);
            this.f = CycleGanNetworks.generator(spec, manager);
            this.criticA = CycleGanNetworks.critic(spec, manager);
            this.criticB = CycleGanNetworks.critic(spec, manager);
        } finally {
            collectorLock.unlock();
        }
        this.criticParameters = java.util.stream.Stream.of(criticA, criticB)
                .flatMap(c -> c.getParameters().values().stream())
                .filter(Parameter::requiresGradient)
                .toList();
        this.generatorsG = adam(g);
        this.generatorsF = adam(f);
        this.optimizerA = adam(criticA);
        this.optimizerB = adam(criticB);
        this.poolA = new ImagePool(settings.poolSize(), spec.imageLength());
        this.poolB = new ImagePool(settings.poolSize(), spec.imageLength());
    }

    /**
     * Gradient elements are clipped to ±{@value #CLIP}: instance norm over an 8 × 8 map whose values
     * are all but equal divides by √ε, and a chain of them once sent gradients past float32's
     * square root of infinity; Adam's second moments became infinite and both generators stopped
     * for the rest of the run (two runs of CycleGanBench, from steps 2,000 and 3,000). Ordinary
     * gradients here are below 1.
     */
    static final float CLIP = 100f;

    private GanOptimizer adam(Block block) {
        return new AdamOptimizer(block, manager, settings.learningRate(), settings.beta1(), settings.beta2(), CLIP);
    }

    private static void requireShape(Dataset data, TranslatorSpec spec) {
        int[] shape = data.sampleShape();
        if (shape.length != 3 || shape[0] != spec.channels() || shape[1] != spec.side() || shape[2] != spec.side()) {
            throw new IllegalArgumentException(data.name() + " holds " + java.util.Arrays.toString(shape)
                    + " samples; this translator needs " + spec.channels() + " x " + spec.side() + " x " + spec.side());
        }
    }

    /** Step {@code step} (0-based), in the settings' precision: (1) G and F, (2) D_A and D_B. */
    public CycleStepResult step(long step) {
        float rate = settings.rateFactor(step);
        collectorLock.lock();
        try (NDManager scratch = manager.newSubManager();
             MixedPrecision.Scope precision = MixedPrecision.use(settings.precision())) {
            NDArray[] real = batches.draw(step, scratch);
            NDArray a = real[0];
            NDArray b = real[1];
            int n = (int) a.getShape().get(0);

            // (1) Update G and F: fool the critics, come back on the round trip, leave the other domain alone.
            criticParameters.forEach(p -> p.freeze(true));
            float[] fakeB;
            float[] fakeA;
            float gTotal;
            float adversarialValue;
            float cycleValue;
            float identityValue;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ab = forward(g, a, scratch); // G(a)
                NDArray ba = forward(f, b, scratch); // F(b)
                NDArray adversarial = loss.generatorLoss(forward(criticB, ab, scratch))
                        .add(loss.generatorLoss(forward(criticA, ba, scratch)));
                NDArray cycle = l1(forward(f, ab, scratch), a).add(l1(forward(g, ba, scratch), b))
                        .mul(settings.cycleWeight());
                NDArray total = adversarial.add(cycle);
                NDArray identity = null;
                if (settings.identityWeight() > 0) {
                    identity = l1(forward(g, b, scratch), b).add(l1(forward(f, a, scratch), a))
                            .mul(settings.cycleWeight() * settings.identityWeight());
                    total = total.add(identity);
                }
                collector.backward(total);
                fakeB = ab.toFloatArray();
                fakeA = ba.toFloatArray();
                gTotal = total.getFloat();
                adversarialValue = adversarial.getFloat();
                cycleValue = cycle.getFloat();
                identityValue = identity == null ? 0f : identity.getFloat();
            } finally {
                criticParameters.forEach(p -> p.freeze(false));
            }
            clipNorm(g, f);
            generatorsG.step(rate);
            generatorsF.step(rate);

            // (2) Update D_A and D_B on real images and on translations from the pools (no graph into G, F).
            NDArray pooledB = scratch.create(poolB.query(fakeB, n, batches.random(step, 1)), b.getShape());
            NDArray pooledA = scratch.create(poolA.query(fakeA, n, batches.random(step, 2)), a.getShape());
            float lossA;
            float lossB;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray dB = loss.discriminatorLoss(forward(criticB, b, scratch), forward(criticB, pooledB, scratch));
                NDArray dA = loss.discriminatorLoss(forward(criticA, a, scratch), forward(criticA, pooledA, scratch));
                collector.backward(dA.add(dB)); // the critics share no weights: one pass, two independent gradients
                lossA = dA.getFloat();
                lossB = dB.getFloat();
            }
            clipNorm(criticA, criticB);
            optimizerA.step(rate);
            optimizerB.step(rate);
            return new CycleStepResult(gTotal, adversarialValue, cycleValue, identityValue, lossA, lossB);
        } finally {
            collectorLock.unlock();
        }
    }

    /**
     * Scales the two networks' gradients down together when their joint L2 norm exceeds
     * {@value #MAX_NORM} (PyTorch's clip_grad_norm_). A run whose round trip had reached 0.07 was
     * wrecked within 100 steps at step 3,900 (cycle loss 2.2 to 11.6) by such a spike; Adam's
     * per-element normalisation does not stop a burst of them.
     */
    private static void clipNorm(Block first, Block second) {
        List<NDArray> gradients = new java.util.ArrayList<>();
        try (io.ganserve.engine.GradModeOff off = new io.ganserve.engine.GradModeOff()) {
            double squares = 0;
            for (Block block : List.of(first, second)) {
                for (Parameter p : block.getParameters().values()) {
                    if (p.requiresGradient()) {
                        NDArray grad = p.getArray().getGradient();
                        gradients.add(grad);
                        try (NDArray square = grad.square(); NDArray sum = square.sum()) { // on grad's manager: free now
                            squares += sum.getFloat();
                        }
                    }
                }
            }
            double norm = Math.sqrt(squares);
            if (norm > MAX_NORM) { // a non-finite norm zeroes the step's gradients: nothing is learned from it
                float scale = Double.isFinite(norm) ? (float) (MAX_NORM / norm) : 0f;
                gradients.forEach(grad -> grad.muli(scale));
            }
        } finally {
            gradients.forEach(NDArray::close);
        }
    }

    /** The largest joint gradient norm of two networks a step applies (see {@link #clipNorm}). */
    static final double MAX_NORM = 10;

    private static NDArray l1(NDArray x, NDArray target) {
        return x.sub(target).abs().mean();
    }

    private static NDArray forward(Block block, NDArray input, NDManager scratch) {
        return block.forward(new ParameterStore(scratch, false), new NDList(input), true).singletonOrThrow();
    }

    /** G: A → B. */
    public Block forwardGenerator() {
        return g;
    }

    /** F: B → A. */
    public Block backwardGenerator() {
        return f;
    }

    public double epochAt(long step) {
        return batches.epochAt(step);
    }

    public CycleGanSettings settings() {
        return settings;
    }

    /** The two generators, as serving loads them: G then F. */
    public void saveGenerators(DataOutputStream out) throws IOException {
        g.saveParameters(out);
        f.saveParameters(out);
    }

    /** All four networks, all four optimisers and both pools: what an exact resume needs. */
    public void saveState(DataOutputStream out) throws IOException {
        saveGenerators(out);
        criticA.saveParameters(out);
        criticB.saveParameters(out);
        for (GanOptimizer o : List.of(generatorsG, generatorsF, optimizerA, optimizerB)) {
            o.save(out);
        }
        poolA.save(out);
        poolB.save(out);
    }

    public void loadState(DataInputStream in) throws IOException {
        try {
            for (Block block : List.of(g, f, criticA, criticB)) {
                NativeArrays.loadParameters(block, manager, in);
            }
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint does not match the networks: " + e.getMessage(), e);
        }
        for (GanOptimizer o : List.of(generatorsG, generatorsF, optimizerA, optimizerB)) {
            o.load(in);
        }
        poolA.load(in);
        poolB.load(in);
        List.of(g, f, criticA, criticB).forEach(NativeArrays::restoreGradients);
    }

    @Override
    public void close() {
        for (GanOptimizer o : List.of(generatorsG, generatorsF, optimizerA, optimizerB)) {
            o.close();
        }
        manager.close();
    }
}
