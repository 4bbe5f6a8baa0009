package io.ganserve.inversion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.NativeArrays;
import java.util.concurrent.locks.Lock;

/**
 * Projection, as StyleGAN's projector does it: the latent z that the generator maps closest to a
 * target image, found by a bounded number of Adam steps on z from a start (the encoder's guess, or
 * random noise), minimising per image
 * {@code Σ_visible (G(z) − x)² / visible + w · mean_k (f(G(z)) − f(x))²}, with f the evaluation's
 * feature network. With a visibility mask (inpainting, the GAN paper's p(x_S | x_S')) only the
 * visible pixels count, and f sees both images with the hidden pixels blanked alike.
 *
 * <p>Images are projected as a batch; the loss is a sum of per-image terms and Adam is elementwise,
 * so each image's latent follows exactly the path it would alone. The best latent seen for each
 * image (by its loss) is returned, so a late overshoot never makes the answer worse.
 */
public final class Projector {

    /** G as part of the caller's autograd graph: n x d latents to n x C x H x W images in [−1, 1]. */
    @FunctionalInterface
    public interface Generator {
        NDArray forward(NDArray latents);
    }

    /** The feature network as part of the caller's autograd graph: n x C x H x W images to n x K features. */
    @FunctionalInterface
    public interface Features {
        NDArray of(NDArray images);
    }

    /**
     * @param steps Adam steps on z
     * @param learningRate Adam's step size, ramped up over the first 5% of steps and down (cosine) over the last 25%
     * @param featureWeight w above; 0, or no feature network, projects on pixels alone
     */
    public record Settings(int steps, float learningRate, float featureWeight) {

        public Settings {
            if (steps < 0 || !(learningRate > 0) || !(featureWeight >= 0)) {
                throw new IllegalArgumentException("steps >= 0, learningRate > 0 and featureWeight >= 0 expected, got "
                        + steps + ", " + learningRate + ", " + featureWeight);
            }
        }
    }

    /**
     * @param latents n rows of d, the best found per image
     * @param images G(latents), n x C x H x W in [−1, 1]
     * @param losses each image's objective at its returned latent
     */
    public record Result(float[] latents, float[] images, float[] losses) {}

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final Generator generator;
    private final Features features;
    private final int latentDim;
    private final Lock collectorLock;

    /**
     * @param features null projects on pixels alone
     * @param collectorLock the process-wide gradient-collector lock, taken around every step's pass
     */
    public Projector(Generator generator, Features features, int latentDim, Lock collectorLock) {
        this.generator = generator;
        this.features = features;
        this.latentDim = latentDim;
        this.collectorLock = collectorLock;
    }

    /**
     * @param targets n images, row after row, in [−1, 1]
     * @param shape one image's {C, H, W}
     * @param visible 1 where a pixel is known, 0 where hidden, same layout as {@code targets}; null: all known
     * @param start n rows of d: where each latent starts
     */
    public Result project(NDManager parent, float[] targets, int[] shape, float[] visible, float[] start,
                          Settings settings) {
        int length = shape[0] * shape[1] * shape[2];
        int n = targets.length / length;
        if (n * length != targets.length || start.length != n * latentDim
                || (visible != null && visible.length != targets.length)) {
            throw new IllegalArgumentException("targets, visibility and starts do not describe the same " + n + " images");
        }
        Shape images = new Shape(n, shape[0], shape[1], shape[2]);
        boolean useFeatures = features != null && settings.featureWeight() > 0;
        try (NDManager work = parent.newSubManager()) {
            NDArray x = owned(work, targets, images);
            NDArray mask = visible == null ? null : owned(work, visible, images);
            NDArray counts = mask == null ? NativeArrays.scalar(work, length)
                    : mask.sum(new int[] {1, 2, 3}).maximum(1f);
            NDArray fill = mask == null ? null : NativeArrays.plus(mask, -1f); // −1 (black) where hidden
            NDArray targetFeatures = null;
            if (useFeatures) {
                try (GradModeOff noGraph = new GradModeOff()) {
                    targetFeatures = features.of(blank(x, mask, fill));
                }
            }
            float[] z = start.clone();
            float[] m = new float[z.length];
            float[] v = new float[z.length];
            float[] best = z.clone();
            float[] bestLoss = new float[n];
            java.util.Arrays.fill(bestLoss, Float.POSITIVE_INFINITY);
            for (int step = 0; step <= settings.steps(); step++) {
                try (NDManager scratch = work.newSubManager()) {
                    NDArray zv = owned(scratch, z, new Shape(n, latentDim));
                    zv.setRequiresGradient(true);
                    float[] losses;
                    collectorLock.lock();
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray g = generator.forward(zv);
                        NDArray squares = g.sub(x).square();
                        if (mask != null) {
                            squares = squares.mul(mask);
                        }
                        NDArray loss = squares.sum(new int[] {1, 2, 3}).div(counts); // n
                        if (useFeatures) {
                            NDArray distance = features.of(blank(g, mask, fill)).sub(targetFeatures).square()
                                    .mean(new int[] {1});
                            loss = loss.add(NativeArrays.times(distance, settings.featureWeight()));
                        }
                        losses = loss.toFloatArray();
                        if (step < settings.steps()) {
                            collector.backward(loss.sum());
                        }
                    } finally {
                        collectorLock.unlock();
                    }
                    for (int i = 0; i < n; i++) {
                        if (losses[i] < bestLoss[i]) {
                            bestLoss[i] = losses[i];
                            System.arraycopy(z, i * latentDim, best, i * latentDim, latentDim);
                        }
                    }
                    if (step == settings.steps()) {
                        break; // the last pass only scores the last update
                    }
                    float[] gradient;
                    try (NDArray grad = zv.getGradient()) {
                        gradient = grad.toFloatArray();
                    }
                    adam(z, m, v, gradient, step + 1, rate(settings, step));
                }
            }
            float[] out;
            try (NDManager scratch = work.newSubManager(); GradModeOff noGraph = new GradModeOff()) {
                out = generator.forward(owned(scratch, best, new Shape(n, latentDim))).toFloatArray();
            }
            return new Result(best, out, bestLoss);
        }
    }

    /** Hidden pixels set to −1 in both the generated and the target image, so f compares what is known. */
    private static NDArray blank(NDArray images, NDArray mask, NDArray fill) {
        return mask == null ? images : images.mul(mask).add(fill);
    }

    /** Warm-up over the first 5% of steps, cosine ramp-down over the last 25% (StyleGAN's projector). */
    static float rate(Settings settings, int step) {
        double t = (double) step / Math.max(1, settings.steps());
        double down = Math.min(1.0, (1.0 - t) / 0.25);
        double up = Math.min(1.0, t / 0.05);
        return (float) (settings.learningRate() * 0.5 * (1 - Math.cos(Math.PI * down)) * Math.max(up, 0.05));
    }

    private static void adam(float[] z, float[] m, float[] v, float[] g, int t, float rate) {
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < z.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
            z[i] -= (float) (rate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON));
        }
    }

    /** A libtorch-owned copy: nothing in the graph points into a Java buffer the collector may free. */
    private static NDArray owned(NDManager manager, float[] values, Shape shape) {
        NDArray wrapped = manager.create(values, shape);
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }
}
