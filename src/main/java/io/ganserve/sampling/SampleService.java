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
     * Admits a request for {@code n} outputs of the model that would answer: reserves its heap for
     * as long as the caller holds it (generation and rendering both), waiting a short while for
     * memory others hold, and refuses now a request whose generator pass could never fit the
     * request lane; the pass reserves its native memory itself when it runs.
     *
     * @throws io.ganserve.engine.BudgetExceededException when it could never fit
     * @throws io.ganserve.engine.BudgetBusyException when it does not fit now
     */
    public io.ganserve.engine.MemoryBudget.Reservation admit(String jobId, int n, boolean best) {
        NetworkSpec spec;
        String model;
        int chunk;
        try (ServingModels.Lease lease = best ? models.leaseBest(jobId) : lease(jobId)) {
            spec = lease.snapshot().model().network();
            model = lease.snapshot().model().jobId();
            chunk = lease.snapshot().chunk();
        }
        return budgets.admitRequest(SamplingCost.nativeBytes(spec, n, chunk), SamplingCost.heapBytes(spec, n, tileScale),
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
        return sample(jobId, n, seed, label, codes, best, 1f);
    }

    /**
     * As {@link #sample(String, int, long, Integer, CodeValues, boolean)}, with the noise pulled
     * towards the latent mean by {@code truncation} ψ (see {@link #truncate}): 1 is the plain draw,
     * 0 the mean image for every sample.
     */
    public Samples sample(String jobId, int n, long seed, Integer label, CodeValues codes, boolean best,
                          float truncation) {
        try (ServingModels.Lease lease = best ? models.leaseBest(jobId) : lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            Random rng = new Random(seed);
            float[] z = gaussians(rng, n * g.latentDim());
            // drawn after z, so an unconditional model's samples stay what they were before labels existed
            int[] labels = labels(g, label, n, rng);
            float[] c = codes(g, codes, n, rng);
            return drawn(g, n, g.generate(truncate(z, truncation), n, labels, c));
        }
    }

    /**
     * The truncation trick as StyleGAN writes it, ψ·(z − z̄) + z̄, in z: the latent mean z̄ of
     * N(0, I) is 0, so each noise vector is scaled by ψ. Unlike resampling the values beyond a
     * threshold (BigGAN's truncated normal), it keeps each seed's direction, so the same seed at a
     * smaller ψ is the same sample moved towards the mean image, and ψ = 1 is exactly the draw
     * without truncation. Only the noise is truncated: classes and InfoGAN codes are left as they are.
     */
    static float[] truncate(float[] z, float psi) {
        if (psi == 1f) {
            return z;
        }
        if (!(psi >= 0f && psi <= 1f)) {
            throw new InvalidInputException("truncation", "must be between 0 and 1, was " + psi);
        }
        for (int i = 0; i < z.length; i++) {
            z[i] *= psi;
        }
        return z;
    }

    /**
     * The generator's outputs for latent vectors a client chose: {@code latents} n rows of the
     * model's latent size, a class per row for a conditional model, and for an InfoGAN model its
     * codes per row as users name them (c1, the categorical one, a whole number from 0 to K−1; each
     * continuous one in [−2, 2]). The same vector gives the same output as the seeded path drew from it.
     *
     * @throws InvalidInputException naming the field and the rule it breaks, against the model that answers
     */
    public Samples fromLatents(String jobId, float[][] latents, int[] labels, double[][] codes) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            String model = "the generator of job " + g.model().jobId();
            int n = latents.length;
            int d = g.latentDim();
            float[] z = new float[n * d];
            for (int i = 0; i < n; i++) {
                float[] row = latents[i];
                if (row == null || row.length != d) {
                    throw new InvalidInputException("latents[" + i + "]", "must hold " + d + " numbers, the latent size of "
                            + model + "; held " + (row == null ? "none" : row.length));
                }
                for (int j = 0; j < d; j++) {
                    if (!Float.isFinite(row[j])) {
                        throw new InvalidInputException("latents[" + i + "]", "must hold finite numbers; value " + j
                                + " is " + row[j]);
                    }
                }
                System.arraycopy(row, 0, z, i * d, d);
            }
            int k = g.numClasses();
            if (k == 0 && labels != null) {
                throw new InvalidInputException("labels", model + " is unconditional: it takes no labels");
            }
            if (k > 0) {
                if (labels == null || labels.length != n) {
                    throw new InvalidInputException("labels", model + " is conditional: it needs one class per latent "
                            + "vector (" + n + "), 0 to " + (k - 1) + (labels == null ? "" : "; got " + labels.length));
                }
                for (int i = 0; i < n; i++) {
                    if (labels[i] < 0 || labels[i] >= k) {
                        throw new InvalidInputException("labels[" + i + "]", "must be between 0 and " + (k - 1)
                                + ", was " + labels[i]);
                    }
                }
            }
            return drawn(g, n, g.generate(z, n, labels, explicitCodes(g, codes, n, model)));
        }
    }

    private static float[] explicitCodes(GeneratorSnapshot g, double[][] codes, int n, String model) {
        LatentCodes latent = g.codes();
        if (!latent.isPresent()) {
            if (codes != null) {
                throw new InvalidInputException("codes", model + " has no latent codes (train one with \"infoGan\")");
            }
            return null;
        }
        if (codes == null || codes.length != n) {
            throw new InvalidInputException("codes", model + " takes InfoGAN codes: one row of " + latent.count()
                    + " values (c1 to c" + latent.count() + ") per latent vector (" + n + ")"
                    + (codes == null ? "" : "; got " + codes.length + " rows"));
        }
        float[] c = new float[n * latent.width()];
        for (int i = 0; i < n; i++) {
            double[] row = codes[i];
            String field = "codes[" + i + "]";
            if (row == null || row.length != latent.count()) {
                throw new InvalidInputException(field, "must hold " + latent.count() + " values, c1 to c" + latent.count()
                        + "; held " + (row == null ? "none" : row.length));
            }
            Double[] pinned = new Double[row.length];
            for (int j = 0; j < row.length; j++) {
                double v = row[j];
                if (latent.isCategorical(j) ? v != Math.rint(v) || v < 0 || v >= latent.categorical()
                        : !(Math.abs(v) <= CodeValues.CONTINUOUS_LIMIT)) {
                    throw new InvalidInputException(field, latent.isCategorical(j)
                            ? "c1 is categorical: a whole number from 0 to " + (latent.categorical() - 1) + ", was " + v
                            : "c" + (j + 1) + " is continuous: it must lie in [-" + CodeValues.CONTINUOUS_LIMIT + ", "
                                    + CodeValues.CONTINUOUS_LIMIT + "], was " + v);
                }
                pinned[j] = v;
            }
            latent.drawInto(c, i * latent.width(), null, pinned); // every value given: nothing is drawn
        }
        return c;
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
        return sweep(jobId, vary, steps, rows, seed, pinned, 1f);
    }

    /** As {@link #sweep(String, String, int, int, long, CodeValues)}, with each row's noise truncated by ψ ({@link #truncate}). */
    public Samples sweep(String jobId, String vary, int steps, int rows, long seed, CodeValues pinned, float truncation) {
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
            return drawn(g, n, g.generate(truncate(z, truncation), n, null, c));
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
        return samplePerClass(jobId, n, seed, 1f);
    }

    /** As {@link #samplePerClass(String, int, long)}, with the noise truncated by ψ ({@link #truncate}). */
    public Samples samplePerClass(String jobId, int n, long seed, float truncation) {
        try (ServingModels.Lease lease = lease(jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            int k = g.numClasses();
            if (k == 0) {
                throw new IllegalArgumentException("the generator of job " + g.model().jobId() + " has no classes");
            }
            int d = g.latentDim();
            float[] row = truncate(gaussians(new Random(seed), n * d), truncation);
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
        return interpolate(jobId, steps, rows, method, seed, label, CodeValues.NONE, 1f);
    }

    /** As {@link #interpolate(String, int, int, LatentPath.Method, long, Integer)}, with the path truncated by ψ ({@link #truncate}). */
    public Samples interpolate(String jobId, int steps, int rows, LatentPath.Method method, long seed, Integer label,
                               float truncation) {
        return interpolate(jobId, steps, rows, method, seed, label, CodeValues.NONE, truncation);
    }

    /**
     * As {@link #interpolate(String, int, int, LatentPath.Method, long, Integer, float)}; an InfoGAN
     * model's strips move between two full inputs, noise and codes: the codes go in a straight line
     * from one drawn set to another (a categorical value as its one-hot, so mid-strip G sees a mix
     * of two values), except the codes {@code pinned} names, which stay at their value all along.
     * Holding every code fixed instead would leave a point model whose modes are its code values
     * drawing the same point all along the strip. ψ truncates the noise only.
     *
     * @throws IllegalArgumentException for pinned codes the model lacks or values outside their range
     */
    public Samples interpolate(String jobId, int steps, int rows, LatentPath.Method method, long seed, Integer label,
                               CodeValues pinned, float truncation) {
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
            // lerp and slerp are both homogeneous: scaling the path is scaling its two ends
            return drawn(g, n, g.generate(truncate(z, truncation), n, labels, codes));
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
