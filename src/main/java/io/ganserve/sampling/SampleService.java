package io.ganserve.sampling;

import io.ganserve.sampling.latent.LatentPath;
import java.util.Random;

/** Draws samples and latent interpolations from a serving generator. */
public final class SampleService {

    private final ServingModels models;
    private final SamplingEvents events;

    public SampleService(ServingModels models) {
        this(models, SamplingEvents.NONE);
    }

    public SampleService(ServingModels models, SamplingEvents events) {
        this.models = models;
        this.events = events;
    }

    /** {@code n} samples from z ~ N(0, I) drawn with {@code seed}; {@code jobId} null means the latest model. */
    public Samples sample(String jobId, int n, long seed) {
        return sample(jobId, n, seed, null);
    }

    /**
     * As {@link #sample(String, int, long)}; a conditional model draws every sample from class
     * {@code label}, or when it is null, each from a class drawn uniformly with the same seed.
     *
     * @throws IllegalArgumentException for a label on an unconditional model, or one outside [0, K)
     */
    public Samples sample(String jobId, int n, long seed, Integer label) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            Random rng = new Random(seed);
            float[] z = gaussians(rng, n * g.latentDim());
            // drawn after z, so an unconditional model's samples stay what they were before labels existed
            int[] labels = labels(g, label, n, rng);
            return drawn(g, n, g.generate(z, n, labels));
        }
    }

    /**
     * {@code n} samples of every class of a conditional model, class after class: K·n samples
     * with the same {@code n} latent vectors in each class, so a row differs from the next only in its class.
     *
     * @throws IllegalArgumentException for an unconditional model
     */
    public Samples samplePerClass(String jobId, int n, long seed) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            int k = g.numClasses();
            if (k == 0) {
                throw new IllegalArgumentException("the generator of job " + g.model().jobId() + " has no classes");
            }
            int d = g.latentDim();
            float[] row = gaussians(new Random(seed), n * d);
            float[] z = new float[k * n * d];
            int[] labels = new int[k * n];
            for (int c = 0; c < k; c++) {
                System.arraycopy(row, 0, z, c * n * d, n * d);
                java.util.Arrays.fill(labels, c * n, (c + 1) * n, c);
            }
            return drawn(g, k * n, g.generate(z, k * n, labels));
        }
    }

    /** Classes of the model a request for {@code jobId} would use (null: the latest); 0 when unconditional. */
    public int numClasses(String jobId) {
        try (ServingModels.Lease lease = lease(jobId)) {
            return lease.snapshot().numClasses();
        }
    }

    private Samples drawn(GeneratorSnapshot g, int n, float[] data) {
        Samples samples = new Samples(g.model(), g.step(), n, g.model().network().sampleShape(), data);
        events.samplesDrawn(n);
        return samples;
    }

    /** The class of each of {@code n} outputs, or null for an unconditional model. */
    private static int[] labels(GeneratorSnapshot g, Integer label, int n, Random rng) {
        int k = g.numClasses();
        if (k == 0) {
            if (label != null) {
                throw new IllegalArgumentException("the generator of job " + g.model().jobId()
                        + " is unconditional: it takes no label");
            }
            return null;
        }
        if (label != null && (label < 0 || label >= k)) {
            throw new IllegalArgumentException("label must be between 0 and " + (k - 1) + ", was " + label);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = label != null ? label : rng.nextInt(k);
        }
        return labels;
    }

    /**
     * {@code rows} strips of {@code steps} outputs each, along a path between two random latent
     * points (the GAN paper's Figure 3); row after row in the result.
     */
    public Samples interpolate(String jobId, int steps, int rows, LatentPath.Method method, long seed) {
        return interpolate(jobId, steps, rows, method, seed, null);
    }

    /**
     * As {@link #interpolate(String, int, int, LatentPath.Method, long)}; a conditional model
     * holds one class along each strip, so the strip moves through z alone: {@code label}, or when
     * it is null, a class per strip drawn with the seed.
     */
    public Samples interpolate(String jobId, int steps, int rows, LatentPath.Method method, long seed, Integer label) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            int d = g.latentDim();
            Random rng = new Random(seed);
            float[] z = new float[rows * steps * d];
            for (int r = 0; r < rows; r++) {
                float[][] path = LatentPath.path(gaussians(rng, d), gaussians(rng, d), steps, method);
                for (int s = 0; s < steps; s++) {
                    System.arraycopy(path[s], 0, z, (r * steps + s) * d, d);
                }
            }
            int n = rows * steps;
            int[] rowLabels = labels(g, label, rows, rng);
            int[] labels = null;
            if (rowLabels != null) {
                labels = new int[n];
                for (int r = 0; r < rows; r++) {
                    java.util.Arrays.fill(labels, r * steps, (r + 1) * steps, rowLabels[r]);
                }
            }
            return drawn(g, n, g.generate(z, n, labels));
        }
    }

    private ServingModels.Lease lease(String jobId) {
        return jobId == null ? models.leaseLatest() : models.lease(jobId);
    }

    private static float[] gaussians(Random rng, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) rng.nextGaussian();
        }
        return values;
    }
}
