package io.ganserve.sampling;

import io.ganserve.engine.ResourceBudgets;
import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.sampling.latent.LatentPath;
import java.util.Random;

/** Draws samples and latent interpolations from a serving generator. */
public final class SampleService {

    private final ServingModels models;
    private final SamplingEvents events;
    private final ResourceBudgets budgets;
    private final int tileScale;

    public SampleService(ServingModels models) {
        this(models, SamplingEvents.NONE, ResourceBudgets.of(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4,
                java.time.Duration.ZERO), 1);
    }

    public SampleService(ServingModels models, SamplingEvents events, ResourceBudgets budgets, int tileScale) {
        this.models = models;
        this.events = events;
        this.budgets = budgets;
        this.tileScale = tileScale;
    }

    /**
     * Reserves what a request for {@code n} outputs of the model that would answer costs, native
     * and heap, for as long as the caller holds it (generation and rendering both). Waits a short
     * while for memory others hold.
     *
     * @throws io.ganserve.engine.BudgetExceededException when it could never fit
     * @throws io.ganserve.engine.BudgetBusyException when it does not fit now
     */
    public ResourceBudgets.Both admit(String jobId, int n, boolean best) {
        NetworkSpec spec;
        String model;
        try (ServingModels.Lease lease = best ? models.leaseBest(jobId) : lease(jobId)) {
            spec = lease.snapshot().model().network();
            model = lease.snapshot().model().jobId();
        }
        return budgets.reserveForRequest(SamplingCost.nativeBytes(spec, n), SamplingCost.heapBytes(spec, n, tileScale),
                n + " outputs of job " + model);
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
        return sample(jobId, n, seed, label, CodeValues.NONE);
    }

    /**
     * As {@link #sample(String, int, long, Integer)}; an InfoGAN model takes the codes {@code codes}
     * pins and draws the others with the seed.
     *
     * @throws IllegalArgumentException also for codes the model lacks or values outside their range
     */
    public Samples sample(String jobId, int n, long seed, Integer label, CodeValues codes) {
        return sample(jobId, n, seed, label, codes, false);
    }

    /**
     * As {@link #sample(String, int, long, Integer, CodeValues)}, from the job's best-scoring
     * generator when {@code best} (see {@link ServingModels#leaseBest}).
     */
    public Samples sample(String jobId, int n, long seed, Integer label, CodeValues codes, boolean best) {
        try (ServingModels.Lease lease = best ? models.leaseBest(jobId) : lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            Random rng = new Random(seed);
            float[] z = gaussians(rng, n * g.latentDim());
            // drawn after z, so an unconditional model's samples stay what they were before labels existed
            int[] labels = labels(g, label, n, rng);
            return drawn(g, n, g.generate(z, n, labels, codes(g, codes, n, rng)));
        }
    }

    /**
     * InfoGAN's latent sweep (the paper's Figure 2): {@code rows} rows, each with its own noise and
     * other codes, along which only code {@code vary} changes: through every value of a categorical
     * code, or in {@code steps} even steps over [−1, 1] for a continuous one.
     *
     * @return rows x columns samples, row after row; columns is K for a categorical code, else steps
     * @throws IllegalArgumentException for a model without that code, or pinned values that do not fit it
     */
    public Samples sweep(String jobId, String vary, int steps, int rows, long seed, CodeValues pinned) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            LatentCodes codes = g.codes();
            int index = codes.indexOf(vary);
            if (index < 0) {
                throw new IllegalArgumentException(codes.count() == 0
                        ? "the generator of job " + g.model().jobId() + " has no latent codes to vary"
                        : vary + " is not a code of this generator, which has c1 to c" + codes.count());
            }
            boolean categorical = codes.isCategorical(index);
            int columns = categorical ? codes.categorical() : steps;
            int column = categorical ? -1 : codes.categorical() + index - (codes.categorical() > 0 ? 1 : 0);
            int d = g.latentDim();
            int width = codes.width();
            Random rng = new Random(seed);
            int n = rows * columns;
            float[] z = new float[n * d];
            float[] c = new float[n * width];
            for (int r = 0; r < rows; r++) {
                float[] rowZ = gaussians(rng, d);
                float[] rowCodes = pinned.draw(codes, 1, rng);
                for (int s = 0; s < columns; s++) {
                    int at = r * columns + s;
                    System.arraycopy(rowZ, 0, z, at * d, d);
                    System.arraycopy(rowCodes, 0, c, at * width, width);
                    if (categorical) {
                        java.util.Arrays.fill(c, at * width, at * width + codes.categorical(), 0f);
                        c[at * width + s] = 1;
                    } else {
                        c[at * width + column] = (float) (-1 + 2.0 * s / (columns - 1));
                    }
                }
            }
            return drawn(g, n, g.generate(z, n, null, c));
        }
    }

    /** An InfoGAN model's codes for {@code n} samples, null for other models (which must be asked for none). */
    private static float[] codes(GeneratorSnapshot g, CodeValues pinned, int n, Random rng) {
        if (!g.codes().isPresent()) {
            if (!pinned.isEmpty()) {
                throw new IllegalArgumentException("the generator of job " + g.model().jobId()
                        + " has no latent codes (train one with \"infoGan\")");
            }
            return null;
        }
        return pinned.draw(g.codes(), n, rng);
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
            return drawn(g, k * n, g.generate(z, k * n, labels, null));
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
        return interpolate(jobId, steps, rows, method, seed, label, CodeValues.NONE);
    }

    /**
     * As {@link #interpolate(String, int, int, LatentPath.Method, long, Integer)}; an InfoGAN
     * model's strips move between two full inputs, noise and codes: the codes go in a straight line
     * from one drawn set to another (a categorical value as its one-hot, so mid-strip G sees a mix
     * of two values), except the codes {@code pinned} names, which stay at their value all along.
     * Holding every code fixed instead would leave a point model whose modes are its code values
     * drawing the same point all along the strip.
     *
     * @throws IllegalArgumentException for pinned codes the model lacks or values outside their range
     */
    public Samples interpolate(String jobId, int steps, int rows, LatentPath.Method method, long seed, Integer label,
                               CodeValues pinned) {
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
            float[] ends = codes(g, pinned, 2 * rows, rng); // each strip's start, then its end
            float[] codes = null;
            if (ends != null) {
                int width = g.codes().width();
                codes = new float[n * width];
                for (int r = 0; r < rows; r++) {
                    float[] from = java.util.Arrays.copyOfRange(ends, 2 * r * width, (2 * r + 1) * width);
                    float[] to = java.util.Arrays.copyOfRange(ends, (2 * r + 1) * width, (2 * r + 2) * width);
                    float[][] path = codePath(from, to, steps);
                    for (int s = 0; s < steps; s++) {
                        System.arraycopy(path[s], 0, codes, (r * steps + s) * width, width);
                    }
                }
            }
            return drawn(g, n, g.generate(z, n, labels, codes));
        }
    }

    /**
     * A straight line between two code vectors: the codes are uniform, not Gaussian, so the arc
     * slerp takes for z has no reason here. A column equal at both ends (a pinned code) keeps its
     * exact value, which the line's arithmetic would round.
     */
    static float[][] codePath(float[] from, float[] to, int steps) {
        float[][] path = LatentPath.path(from, to, steps, LatentPath.Method.LERP);
        for (float[] point : path) {
            for (int j = 0; j < from.length; j++) {
                if (from[j] == to[j]) {
                    point[j] = from[j];
                }
            }
        }
        return path;
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
