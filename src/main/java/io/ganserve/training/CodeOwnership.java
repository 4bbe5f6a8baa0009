package io.ganserve.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ganserve.engine.optim.AdamOptimizer;
import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.MutualInformationLoss;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.InfoGan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Lock;

/**
 * A check that each value of InfoGAN's categorical code owns a region of the data of its own, and
 * a re-assignment where one does not. With a value per mode, the mutual-information term keeps the
 * values apart but not on different modes: two values can settle on one mode (Q still tells them
 * apart a few hundredths away) and leave another mode to no value, or to a value stretched between
 * two modes, whose bridge is what costs high quality. G cannot walk a value across the empty space
 * between modes, where D says "fake" all the way; this moves it there.
 *
 * <p>Every {@code ownershipEvery} steps, in the first {@link #LAST_FRACTION} of the run: the
 * centroid of each value's outputs (fixed noise), and for recent real samples the nearest
 * centroid. A value that owns less than half its share of the real samples shares its region; a
 * real sample {@link #FAR} times farther from every centroid than the median sample lies in a region
 * no value reaches. The starved value is then moved there: a few Adam steps on G alone regress its
 * outputs onto themselves shifted by (region − centroid), and every other value's outputs onto
 * where they are, so nothing else moves; then as many Adam steps on D's Q head (and the trunk it
 * shares) teach Q the new arrangement, without which its mutual-information gradient pulls the
 * value back where Q last saw it. It uses only real samples and G's outputs, never the
 * mixture's modes, and it is a function of (seed, step, G), so a resumed run repeats it.
 */
final class CodeOwnership {

    static final int SAMPLES_PER_VALUE = 32;
    static final int REAL_BATCHES = 10;
    static final double FAR = 8;
    /** Moves stop after this share of the run, so the adversarial game refines the last one. */
    static final double LAST_FRACTION = 0.6;
    static final int MOVE_STEPS = 150;
    static final float MOVE_RATE = 1e-3f;
    private static final long STREAM = 0x6F776E657273L;

    /** A value moved at a step: from its centroid to a region no value reached. */
    record Move(long step, int value, float[] from, float[] to, float residual) {
        @Override
        public String toString() {
            return "step " + step + ": value " + value + " " + Arrays.toString(from) + " -> " + Arrays.toString(to)
                    + String.format(" (rms residual %.3f)", residual);
        }
    }

    private final int every;
    private final long lastStep;
    private final long seed;
    private final LatentCodes codes;
    private final int latentDim;
    private final int width;
    private final int sampleLength;
    private final List<Move> moves = new ArrayList<>();
    private final MutualInformationLoss information;

    private CodeOwnership(int every, long totalSteps, long seed, NetworkSpec spec) {
        this.every = every;
        this.lastStep = (long) (LAST_FRACTION * totalSteps);
        this.seed = seed;
        this.codes = spec.codes();
        this.latentDim = spec.latentDim();
        this.width = spec.generatorInputDim();
        this.sampleLength = spec.sampleLength();
        this.information = new MutualInformationLoss(codes, 1, 0.1f);
    }

    /** Null where the job asks for no checks, or has no categorical code, or its samples are images. */
    static CodeOwnership of(InfoGan info, NetworkSpec spec, long totalSteps, long seed) {
        boolean vectors = spec.sampleShape().size() == 1;
        if (info.ownershipEvery() <= 0 || info.codes().categorical() < 2 || !vectors || spec.pack() > 1
                || spec.isConditional()) {
            return null;
        }
        return new CodeOwnership(info.ownershipEvery(), totalSteps, seed, spec);
    }

    List<Move> moves() {
        return List.copyOf(moves);
    }

    /** After generator step {@code step} (0-based): checks when one is due, and moves at most one value. */
    void afterStep(long step, Block generator, Block discriminator, BatchSource batches, NDManager parent,
                   Lock collectorLock) {
        long done = step + 1;
        if (done % every != 0 || done > lastStep) {
            return;
        }
        int k = codes.categorical();
        int n = k * SAMPLES_PER_VALUE;
        float[] input = inputs(done, n);
        collectorLock.lock();
        try (NDManager scratch = parent.newSubManager()) {
            NDArray in = scratch.create(input, new Shape(n, width));
            float[] out = generator.forward(new ParameterStore(scratch, false), new NDList(in), false)
                    .singletonOrThrow().toFloatArray();
            float[] centroids = centroids(out, k);
            float[] real = realSamples(batches, scratch, step);
            Move planned = plan(done, centroids, real, k);
            if (planned == null) {
                return;
            }
            float[] targets = out.clone();
            for (int i = planned.value() * SAMPLES_PER_VALUE; i < (planned.value() + 1) * SAMPLES_PER_VALUE; i++) {
                for (int j = 0; j < sampleLength; j++) {
                    targets[i * sampleLength + j] += planned.to()[j] - planned.from()[j];
                }
            }
            float residual = regress(generator, in, scratch.create(targets, new Shape(n, sampleLength)), scratch);
            relearnCodes(generator, discriminator, in, scratch);
            moves.add(new Move(planned.step(), planned.value(), planned.from(), planned.to(), residual));
        } finally {
            collectorLock.unlock();
        }
    }

    /** Fixed noise per check, each value's rows together; continuous codes drawn as in training. */
    private float[] inputs(long done, int n) {
        SplittableRandom rng = new SplittableRandom(BatchSource.mix(seed ^ STREAM, done));
        float[] input = new float[n * width];
        Double[] pinned = new Double[codes.count()];
        for (int i = 0; i < n; i++) {
            int row = i * width;
            for (int j = 0; j < latentDim; j++) {
                double u1 = 1.0 - rng.nextDouble();
                input[row + j] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble()));
            }
            pinned[0] = (double) (i / SAMPLES_PER_VALUE);
            codes.drawInto(input, row + latentDim, rng, pinned);
        }
        return input;
    }

    private float[] centroids(float[] out, int k) {
        float[] c = new float[k * sampleLength];
        for (int i = 0; i < k * SAMPLES_PER_VALUE; i++) {
            for (int j = 0; j < sampleLength; j++) {
                c[(i / SAMPLES_PER_VALUE) * sampleLength + j] += out[i * sampleLength + j] / SAMPLES_PER_VALUE;
            }
        }
        return c;
    }

    /** The real batches D saw in the last {@link #REAL_BATCHES} steps: no draw of their own. */
    private float[] realSamples(BatchSource batches, NDManager scratch, long step) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (long s = step; s > step - REAL_BATCHES && s >= 0; s--) {
            float[] part = batches.realBatch(scratch, s, 0).toFloatArray();
            parts.add(part);
            total += part.length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** The value to move and where, or null when every value owns its share or no region is unreached. */
    Move plan(long step, float[] centroids, float[] real, int k) {
        int count = real.length / sampleLength;
        int[] owned = new int[k];
        double[] distance = new double[count];
        for (int i = 0; i < count; i++) {
            double best = Double.MAX_VALUE;
            int owner = 0;
            for (int v = 0; v < k; v++) {
                double d = squared(real, i, centroids, v);
                if (d < best) {
                    best = d;
                    owner = v;
                }
            }
            owned[owner]++;
            distance[i] = Math.sqrt(best);
        }
        int starved = 0;
        for (int v = 1; v < k; v++) {
            if (owned[v] < owned[starved]) {
                starved = v;
            }
        }
        int farthest = 0;
        for (int i = 1; i < count; i++) {
            if (distance[i] > distance[farthest]) {
                farthest = i;
            }
        }
        double median = median(distance);
        if (owned[starved] >= 0.5 * count / k || !(distance[farthest] > FAR * median)) {
            return null;
        }
        // the unreached region: real samples nearer its farthest one than half that one's distance
        double radius = distance[farthest] / 2;
        float[] to = new float[sampleLength];
        int members = 0;
        for (int i = 0; i < count; i++) {
            if (distanceBetween(real, i, real, farthest) < radius) {
                members++;
                for (int j = 0; j < sampleLength; j++) {
                    to[j] += real[i * sampleLength + j];
                }
            }
        }
        for (int j = 0; j < sampleLength; j++) {
            to[j] /= members;
        }
        float[] from = Arrays.copyOfRange(centroids, starved * sampleLength, (starved + 1) * sampleLength);
        return new Move(step, starved, from, to, Float.NaN);
    }

    /** Adam steps on G alone toward {@code targets}; the root mean squared residual after them. */
    private float regress(Block generator, NDArray input, NDArray targets, NDManager scratch) {
        float residual = Float.NaN;
        try (NDManager moving = scratch.newSubManager();
             AdamOptimizer adam = new AdamOptimizer(generator, moving, MOVE_RATE, 0.5f, 0.999f)) {
            for (int s = 0; s < MOVE_STEPS; s++) {
                try (NDManager step = moving.newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray out = GanTrainer.forward(generator, input, step);
                    NDArray loss = out.sub(targets).square().mean();
                    collector.backward(loss);
                    residual = (float) Math.sqrt(loss.getFloat() * sampleLength);
                }
                adam.step(1f);
            }
        }
        return residual;
    }

    /**
     * Q steps on the moved arrangement: Q still reads the moved value where it used to be, and its
     * mutual-information gradient would pull G's outputs for that value back there (measured: moves
     * undone within 500-2,500 steps on grid25 seeds 2, 9 and 10: docs/variants.md).
     */
    private void relearnCodes(Block generator, Block discriminator, NDArray input, NDManager scratch) {
        try (NDManager moving = scratch.newSubManager();
             AdamOptimizer adam = new AdamOptimizer(discriminator, moving, MOVE_RATE, 0.5f, 0.999f)) {
            NDArray fakes = generator.forward(new ParameterStore(moving, false), new NDList(input), false)
                    .singletonOrThrow();
            NDArray c = input.get(new ai.djl.ndarray.index.NDIndex(":, {}:", latentDim));
            for (int s = 0; s < MOVE_STEPS; s++) {
                try (NDManager step = moving.newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray q = GanTrainer.forward(discriminator, fakes, step)
                            .get(new ai.djl.ndarray.index.NDIndex(":, 1:"));
                    collector.backward(information.evaluate(q, c).loss());
                }
                adam.step(1f);
            }
        }
    }

    private double squared(float[] a, int i, float[] b, int j) {
        double sum = 0;
        for (int c = 0; c < sampleLength; c++) {
            double d = a[i * sampleLength + c] - b[j * sampleLength + c];
            sum += d * d;
        }
        return sum;
    }

    private double distanceBetween(float[] a, int i, float[] b, int j) {
        return Math.sqrt(squared(a, i, b, j));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
