package io.ganserve.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.optim.AdamOptimizer;
import io.ganserve.gan.EncoderNetwork;
import io.ganserve.gan.NetworkSpec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.locks.Lock;

/**
 * Learned approximate inference, as the GAN paper's conclusion proposes: with the generator fixed,
 * an encoder E is trained to predict z from x on generated pairs, minimising
 * {@code mean ‖E(G(z)) − z‖²}. Every pair is generated, so the encoder learns the inverse on the
 * very distribution G draws, and no real image is needed (see docs/inference.md for why no
 * reconstruction term on real images is added).
 *
 * <p>Batches are functions of (seed, step), as in {@link BatchSource}, so a step replays exactly.
 */
public final class EncoderTrainer implements AutoCloseable {

    /** A fixed generator: {@code n} rows of noise to images in [−1, 1] on {@code target}, without autograd. */
    @FunctionalInterface
    public interface FixedGenerator {
        NDArray generate(NDManager target, float[] latents, int n);
    }

    private static final long VALIDATION_STREAM = 0x76616C6964L;
    /** Held-out pairs the latent error is measured on after training. */
    public static final int VALIDATION_PAIRS = 512;

    private final NetworkSpec spec;
    private final EncoderSettings settings;
    private final FixedGenerator generator;
    private final Lock collectorLock;
    private final NDManager manager;
    private final Block encoder;
    private final AdamOptimizer optimizer;

    /**
     * @param collectorLock the process-wide gradient-collector lock, taken around every update
     */
    public EncoderTrainer(NetworkSpec spec, EncoderSettings settings, FixedGenerator generator, NDManager parent,
                          Lock collectorLock) {
        this.spec = spec;
        this.settings = settings;
        this.generator = generator;
        this.collectorLock = collectorLock;
        this.manager = parent.newSubManager();
        try {
            // libtorch's generator is process-wide: seeding and drawing hold the trainers' lock (see GanTrainer)
            collectorLock.lock();
            try {
                Engine.getInstance().setRandomSeed((int) settings.seed());
                this.encoder = EncoderNetwork.create(spec, manager);
            } finally {
                collectorLock.unlock();
            }
            this.optimizer = new AdamOptimizer(encoder, manager, settings.learningRate(), 0.5f, 0.999f);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /**
     * One update on the pairs of step {@code step}, in the settings' precision; returns the batch's
     * mean squared latent error. G's images are drawn as serving draws them, outside that precision.
     */
    public float step(long step) {
        int n = settings.batchSize();
        float[] z = latents(new Random(settings.seed() * 1_000_003L + step), n);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray images = generator.generate(scratch, z, n); // no graph reaches back into G
            NDArray target = scratch.create(z, new Shape(n, spec.latentDim()));
            float loss;
            collectorLock.lock();
            try {
                try (MixedPrecision.Scope precision = MixedPrecision.use(settings.precision());
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray predicted = encoder.forward(new ParameterStore(scratch, false), new NDList(images), true)
                            .singletonOrThrow();
                    NDArray l = predicted.sub(target).square().mean();
                    collector.backward(l);
                    loss = l.getFloat();
                }
                optimizer.step(1f);
            } finally {
                collectorLock.unlock();
            }
            return loss;
        }
    }

    /**
     * Mean squared error of E's prediction per latent dimension on {@link #VALIDATION_PAIRS} fresh
     * pairs that no update saw (1.0 is what predicting 0 scores on N(0, I) noise).
     */
    public double validationError() {
        float[] z = latents(new Random(settings.seed() ^ VALIDATION_STREAM), VALIDATION_PAIRS);
        double sum = 0;
        for (int from = 0; from < VALIDATION_PAIRS; from += settings.batchSize()) {
            int m = Math.min(settings.batchSize(), VALIDATION_PAIRS - from);
            float[] part = java.util.Arrays.copyOfRange(z, from * spec.latentDim(), (from + m) * spec.latentDim());
            try (NDManager scratch = manager.newSubManager(); GradModeOff noGraph = new GradModeOff()) {
                NDArray images = generator.generate(scratch, part, m);
                NDArray predicted = encoder.forward(new ParameterStore(scratch, false), new NDList(images), false)
                        .singletonOrThrow();
                sum += predicted.sub(scratch.create(part, new Shape(m, spec.latentDim()))).square().sum().getFloat();
            }
        }
        return sum / ((double) VALIDATION_PAIRS * spec.latentDim());
    }

    private float[] latents(Random rng, int n) {
        float[] z = new float[n * spec.latentDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return z;
    }

    public Block encoder() {
        return encoder;
    }

    /** The encoder's parameters, as {@link EncoderNetwork#empty} loads them. */
    public void saveEncoder(DataOutputStream out) throws IOException {
        encoder.saveParameters(out);
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
