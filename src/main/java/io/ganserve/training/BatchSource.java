package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ganserve.data.Dataset;
import io.ganserve.gan.LatentCodes;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Real minibatches and latent noise as pure functions of (seed, step, sub-step): a run that resumes
 * from a checkpoint at step s sees exactly the batches it would have seen, with no RNG state to save.
 * Real data is drawn without replacement, one shuffled pass (epoch) after another.
 */
public final class BatchSource {

    private static final long LABEL_STREAM = 0x6C6162656C73L;
    private static final long CODE_STREAM = 0x636F646573L;

    private final Dataset dataset;
    private final int batchSize;
    private final int discriminatorSteps;
    private final int latentDim;
    private final long seed;
    private final int numClasses;
    private final long[] batchShape;
    private int[] permutation;
    private long permutationEpoch = -1;

    public BatchSource(Dataset dataset, int batchSize, int discriminatorSteps, int latentDim, long seed) {
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.discriminatorSteps = discriminatorSteps;
        this.latentDim = latentDim;
        this.seed = seed;
        this.numClasses = dataset.numClasses();
        int[] shape = dataset.sampleShape();
        this.batchShape = new long[shape.length + 1];
        batchShape[0] = batchSize;
        for (int i = 0; i < shape.length; i++) {
            batchShape[i + 1] = shape[i];
        }
    }

    /** The real batch the discriminator sees at sub-step {@code k} of generator step {@code step}. */
    public NDArray realBatch(NDManager manager, long step, int k) {
        long first = (step * discriminatorSteps + k) * batchSize;
        int length = dataset.sampleLength();
        float[] values = new float[batchSize * length];
        for (int i = 0; i < batchSize; i++) {
            dataset.copySample(indexAt(first + i), values, i * length);
        }
        return manager.create(values, new Shape(batchShape));
    }

    /** One-hot classes, (batch, K), of the very samples {@link #realBatch} returns for the same arguments. */
    public NDArray realLabels(NDManager manager, long step, int k) {
        return oneHot(manager, realLabelIndices(step, k));
    }

    int[] realLabelIndices(long step, int k) {
        requireLabels();
        long first = (step * discriminatorSteps + k) * batchSize;
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = dataset.label(indexAt(first + i));
        }
        return labels;
    }

    /**
     * One-hot classes, (batch, K), drawn uniformly for the generator; {@code k = discriminatorSteps}
     * is the generator step's own draw, as for {@link #noise}.
     */
    public NDArray fakeLabels(NDManager manager, long step, int k) {
        return oneHot(manager, fakeLabelIndices(step, k));
    }

    int[] fakeLabelIndices(long step, int k) {
        requireLabels();
        // A stream of its own: reusing the noise's would tie each label to its latent vector.
        SplittableRandom rng = new SplittableRandom(mix(seed ^ LABEL_STREAM, step * (discriminatorSteps + 1) + k));
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = rng.nextInt(numClasses);
        }
        return labels;
    }

    private NDArray oneHot(NDManager manager, int[] labels) {
        long[] wide = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            wide[i] = labels[i];
        }
        // int64 indices: libtorch's one_hot takes no other type
        return manager.create(wide).oneHot(numClasses).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
    }

    private void requireLabels() {
        if (numClasses == 0) {
            throw new IllegalStateException("dataset " + dataset.name() + " has no labels to condition on");
        }
    }

    /** Standard normal latent vectors; {@code k = discriminatorSteps} is the generator's own draw. */
    public NDArray noise(NDManager manager, long step, int k) {
        SplittableRandom rng = new SplittableRandom(mix(seed, step * (discriminatorSteps + 1) + k));
        float[] z = new float[batchSize * latentDim];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) gaussian(rng);
        }
        return manager.create(z, new Shape(batchSize, latentDim));
    }

    /**
     * InfoGAN's codes for a batch, (batch, K + C): the categorical code one-hot, then the
     * continuous codes from U(−1, 1); {@code k = discriminatorSteps} is the generator's own draw.
     */
    public NDArray codes(NDManager manager, long step, int k, LatentCodes codes) {
        SplittableRandom rng = new SplittableRandom(mix(seed ^ CODE_STREAM, step * (discriminatorSteps + 1) + k));
        int width = codes.width();
        float[] c = new float[batchSize * width];
        for (int i = 0; i < batchSize; i++) {
            codes.drawInto(c, i * width, rng, null);
        }
        return manager.create(c, new Shape(batchSize, width));
    }

    /** U[0, 1] draws, one per example, shaped (n, 1, …) to broadcast over a batch shaped like {@code like}. */
    public NDArray uniform(NDManager manager, long step, int k, long n) {
        SplittableRandom rng = new SplittableRandom(mix(~seed, step * (discriminatorSteps + 1) + k));
        float[] u = new float[(int) n];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) rng.nextDouble();
        }
        return manager.create(u, new Shape(n, 1));
    }

    /** Passes over the data after {@code step} generator steps. */
    public double epochAt(long step) {
        return (double) step * discriminatorSteps * batchSize / dataset.size();
    }

    private int indexAt(long position) {
        long epoch = position / dataset.size();
        if (epoch != permutationEpoch) {
            permutation = shuffled(dataset.size(), new Random(mix(seed, -1 - epoch)));
            permutationEpoch = epoch;
        }
        return permutation[(int) (position % dataset.size())];
    }

    private static int[] shuffled(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box–Muller: SplittableRandom has no nextGaussian of its own on every JDK we target.
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
