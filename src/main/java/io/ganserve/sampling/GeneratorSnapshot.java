package io.ganserve.sampling;

import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.NativeArrays;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.ganserve.data.DataKind;
import io.ganserve.gan.ChunkedForward;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.TransposedConv2d;
import io.ganserve.engine.precision.MixedPrecision;
import io.ganserve.engine.precision.Precision;
import io.ganserve.registry.ModelInfo;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generator loaded for serving: its own copy of the weights in its own native memory, never the
 * live training weights, which Adam and batch norm change in place. Reference-counted so a swap
 * to a newer model never frees weights under a request still using them.
 */
public final class GeneratorSnapshot {

    /** Samples a forward pass generates at once; larger requests run as several passes. */
    public static final int CHUNK = 64;

    private final ModelInfo model;
    private final long step;
    private final NDManager manager;
    private final Block generator;
    private final long parameterBytes;
    /** One reference for the owner (the serving registry) plus one per request in flight. */
    private final AtomicInteger references = new AtomicInteger(1);
    /** The weights' share of the memory budget, given back with them. */
    private AutoCloseable memory;
    /** Where each pass of {@link #generate} reserves its memory, and how long it waits; none when unbudgeted. */
    private MemoryBudget passMemory;
    private Duration passWait = Duration.ZERO;
    /** Samples per forward pass of a request: {@link #CHUNK}, or fewer where the request lane is small. */
    private int chunk = CHUNK;
    /** Concurrent requests' passes, run together. */
    private volatile BatchedPasses passes;
    /** What the convolutions and products of {@link #generate}'s passes multiply in. */
    private volatile Precision precision = Precision.FLOAT32;

    private GeneratorSnapshot(ModelInfo model, long step, NDManager manager, Block generator, long frozenBytes) {
        this.model = model;
        this.step = step;
        this.manager = manager;
        this.generator = generator;
        this.parameterBytes = frozenBytes + generator.getParameters().values().stream()
                .mapToLong(p -> p.getArray().getShape().size() * p.getArray().getDataType().getNumOfBytes())
                .sum();
        batchedBy(Batching.DEFAULT, SamplingEvents.NONE);
    }

    /**
     * Runs {@link #generate}'s passes with their convolutions and products in {@code precision}
     * (bfloat16 draws slightly different pixels from the same seed than float32; docs/api.md).
     */
    void runIn(Precision precision) {
        this.precision = precision;
    }

    /** What {@link #generate}'s passes multiply in. */
    public Precision precision() {
        return precision;
    }

    /** How concurrent requests' passes run together, and where the batches they formed are reported. */
    void batchedBy(Batching batching, SamplingEvents events) {
        this.passes = new BatchedPasses(model.jobId(), model.network().generatorInputDim(),
                model.network().sampleLength(), batching, events);
    }

    /**
     * Native memory the weights occupy, with the transposed convolutions' kernels made once from
     * them at load; measured once, so reading it never touches native memory.
     */
    public long parameterBytes() {
        return parameterBytes;
    }

    /** Reads generator parameters (as {@code Block.saveParameters} wrote them) into fresh native memory. */
    public static GeneratorSnapshot load(ModelInfo model, long step, NDManager parent, DataInputStream parameters)
            throws IOException {
        NDManager manager = parent.newSubManager();
        try {
            Block generator = GanModelZoo.emptyGenerator(model.network(), manager);
            NativeArrays.loadParameters(generator, manager, parameters);
            return new GeneratorSnapshot(model, step, manager, generator, frozen(generator, manager));
        } catch (MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IOException("cannot load the generator of job " + model.jobId() + ": " + e.getMessage(), e);
        }
    }

    /** These weights never change: each transposed convolution rearranges its kernel once, here, not per pass. */
    private static long frozen(Block block, NDManager manager) {
        long bytes = block instanceof TransposedConv2d layer ? layer.freeze(manager) : 0;
        for (Block child : block.getChildren().values()) {
            bytes += frozen(child, manager);
        }
        return bytes;
    }

    public ModelInfo model() {
        return model;
    }

    /** The generator step these weights are from. */
    public long step() {
        return step;
    }

    public int latentDim() {
        return model.network().latentDim();
    }

    /** Classes of a conditional generator; 0 for an unconditional one. */
    public int numClasses() {
        return model.network().numClasses();
    }

    /** InfoGAN's latent codes, {@link LatentCodes#NONE} for other generators. */
    public LatentCodes codes() {
        return model.network().codes();
    }

    /** An unconditional generator's outputs; see {@link #generate(float[], int, int[], float[])}. */
    public float[] generate(float[] latents, int n) {
        return generate(latents, n, null, null);
    }

    /** A generator's outputs without InfoGAN codes; see {@link #generate(float[], int, int[], float[])}. */
    public float[] generate(float[] latents, int n, int[] labels) {
        return generate(latents, n, labels, null);
    }

    /**
     * Runs the generator on {@code n} latent vectors and returns its outputs in data space:
     * coordinates for points, pixel values in [0, 1] for images. Every native array of the call
     * lives in a sub-manager closed before returning.
     *
     * @param labels one class per output for a conditional generator, null for an unconditional one
     * @param codes an InfoGAN generator's codes, n x (K + C) row after row (one-hot categorical, then
     *     continuous), null for other generators
     */
    public float[] generate(float[] latents, int n, int[] labels, float[] codes) {
        int width = codes().width();
        if ((width > 0) != (codes != null) || (codes != null && codes.length != n * width)) {
            throw new IllegalArgumentException(width > 0
                    ? "the generator of job " + model.jobId() + " takes " + width + " code values per sample"
                    : "the generator of job " + model.jobId() + " has no latent codes");
        }
        int k = numClasses();
        if ((k > 0) != (labels != null)) {
            throw new IllegalArgumentException(k > 0
                    ? "the generator of job " + model.jobId() + " is conditional: it needs a class per sample"
                    : "the generator of job " + model.jobId() + " is unconditional: it takes no label");
        }
        if (labels != null) {
            if (labels.length != n) {
                throw new IllegalArgumentException("need " + n + " labels, got " + labels.length);
            }
            for (int label : labels) {
                if (label < 0 || label >= k) {
                    throw new IllegalArgumentException("label must be between 0 and " + (k - 1) + ", was " + label);
                }
            }
        }
        return passes.run(inputRows(latents, n, labels, codes, width, k), n, this::forwardRows);
    }

    /** Each sample's full generator input: its noise, then its class one-hot, then its codes. */
    private float[] inputRows(float[] latents, int n, int[] labels, float[] codes, int width, int k) {
        int d = latentDim();
        int row = model.network().generatorInputDim();
        if (labels == null && codes == null) {
            return latents.length == n * d ? latents : java.util.Arrays.copyOf(latents, n * d);
        }
        float[] rows = new float[n * row];
        for (int i = 0; i < n; i++) {
            System.arraycopy(latents, i * d, rows, i * row, d);
            if (labels != null) {
                rows[i * row + d + labels[i]] = 1; // G(z | y): the one-hot class after the noise, as in training
            }
            if (codes != null) {
                System.arraycopy(codes, i * width, rows, i * row + d + k, width);
            }
        }
        return rows;
    }

    /**
     * Runs {@code n} rows of generator input (one request's, or several batched) in chunks, each freed
     * before the next, under a reservation of the request lane held for the pass alone, on the inference
     * thread: a request queued for a thread, or rendering, holds none. Returns outputs in data space.
     */
    private float[] forwardRows(float[] inputs, int n) {
        MemoryBudget lane = passMemory;
        long bytes = SamplingCost.nativeBytes(model.network(), n, chunk);
        try (var pass = lane == null ? null : lane.reserve(bytes, passWait, n + " outputs of job " + model.jobId());
             var scope = MixedPrecision.use(precision)) { // thread-local: set here, on the inference thread
            JniUtils.setGradMode(false);
            int row = model.network().generatorInputDim();
            int length = model.network().sampleLength();
            float[] out = new float[n * length];
            for (int from = 0; from < n; from += chunk) {
                int m = Math.min(chunk, n - from);
                try (NDManager request = manager.newSubManager()) {
                    NDArray z = request.create(java.util.Arrays.copyOfRange(inputs, from * row, (from + m) * row),
                            new Shape(m, row)); // m x (latentDim + K + C)
                    NDArray y = generator.forward(new ParameterStore(request, false), new NDList(z), false).singletonOrThrow();
                    if (model.dataKind() == DataKind.IMAGES) {
                        y = y.add(1).div(2).clip(0, 1); // tanh range [-1, 1] to pixels
                    }
                    System.arraycopy(y.toFloatArray(), 0, out, from * length, m * length);
                }
            }
            return out;
        }
    }

    /**
     * The generator's raw outputs (images in [−1, 1], as training sees them) for {@code n} rows of
     * full generator input, attached to {@code target}; everything else of the call is freed.
     */
    public NDArray forward(NDManager target, float[] inputs, int n) {
        JniUtils.setGradMode(false);
        // attached under a manager of these weights, so the pass runs on their device; the result moves to target
        try (NDManager request = manager.newSubManager()) {
            NDArray out = ChunkedForward.run(generator, request, inputs, n, model.network().generatorInputDim(), CHUNK);
            out.attach(target);
            return out;
        }
    }

    /**
     * The generator's raw outputs (images in [−1, 1]) for {@code input} (n x generator input) as
     * part of the caller's autograd graph: for gradients with respect to the input (projection).
     * The weights take no gradient (loaded weights never do); every array of the pass lands on
     * {@code input}'s manager. Hold a lease for as long as the result is used.
     */
    public NDArray differentiableForward(NDArray input) {
        return generator.forward(new ParameterStore(input.getManager(), false), new NDList(input), false)
                .singletonOrThrow();
    }

    boolean tryAcquire() {
        int current;
        do {
            current = references.get();
            if (current == 0) {
                return false;
            }
        } while (!references.compareAndSet(current, current + 1));
        return true;
    }

    /**
     * Ties a reservation of the memory budget to these weights (given back when they are freed), and
     * names the pool each generator pass reserves from, waiting at most {@code wait}.
     */
    void holding(AutoCloseable reservation, MemoryBudget passes, Duration wait) {
        this.memory = reservation;
        this.passMemory = passes;
        this.passWait = wait;
        // every inference thread can run a pass of this model at once beside its weights
        long room = Math.max(0, passes.capacityBytes() - parameterBytes) / InferenceThreads.THREADS;
        this.chunk = SamplingCost.chunkFitting(model.network(), room);
    }

    /** Samples per forward pass of a request (see {@link SamplingCost#chunkFitting}). */
    public int chunk() {
        return chunk;
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            free();
        }
    }

    private void free() {
        manager.close();
        if (memory != null) {
            try {
                memory.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Whether a request holds these weights now (beyond the owner's own reference). */
    boolean inUse() {
        return references.get() > 1;
    }

    /**
     * Takes the owner's reference back only if no request holds one, in one step, so no request
     * can acquire the weights after the check; true means they are freed and can no longer be leased.
     */
    boolean tryRetire() {
        if (!references.compareAndSet(1, 0)) {
            return false;
        }
        free();
        return true;
    }
}
