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
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            Random rng = new Random(seed);
            float[] z = gaussians(rng, n * g.latentDim());
            Samples samples = new Samples(g.model(), g.step(), n, g.model().network().sampleShape(), g.generate(z, n));
            events.samplesDrawn(n);
            return samples;
        }
    }

    /**
     * {@code rows} strips of {@code steps} outputs each, along a path between two random latent
     * points (the GAN paper's Figure 3); row after row in the result.
     */
    public Samples interpolate(String jobId, int steps, int rows, LatentPath.Method method, long seed) {
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
            Samples samples = new Samples(g.model(), g.step(), n, g.model().network().sampleShape(), g.generate(z, n));
            events.samplesDrawn(n);
            return samples;
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
