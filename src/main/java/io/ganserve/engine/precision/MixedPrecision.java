package io.ganserve.engine.precision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PyTorch's autocast for ganserve's networks: inside {@link #use(Precision) use(BFLOAT16)} on a
 * thread, every convolution and linear layer of the networks ({@link Conv2d}, {@link Linear},
 * {@code TransposedConv2d}, the spectral layers) multiplies in bfloat16 and returns float32;
 * outside it, or with FLOAT32, they run DJL's float32 ops. Batch and instance norm, activations,
 * losses, the optimisers and the weights themselves stay float32, as in PyTorch's CPU autocast.
 *
 * <p>The scope is thread-local so that one network serves both precisions: a bfloat16 job trains in
 * bfloat16 while its evaluation's feature network, its float32 sibling jobs and a float32 serving
 * request run the same classes in float32, and checkpoints are the same in both.
 *
 * <p>DJL cannot hold a bfloat16 array, so the casts run inside a TorchScript module
 * ({@code mixed_ops.pt}, scripted from {@code src/main/torchscript/mixed_ops.py}): float32 in,
 * float32 out, autograd recorded through the casts, so a gradient reaches a float32 weight as
 * float32. The module holds no tensors and runs on whichever device its inputs are on. It is loaded
 * once per process, on first use, and lives as long as the process.
 */
public final class MixedPrecision {

    private static final ThreadLocal<Precision> CURRENT = ThreadLocal.withInitial(() -> Precision.FLOAT32);
    private static final long CONV2D = 0;
    private static final long LINEAR = 1;

    private MixedPrecision() {}

    /** The precision this thread's convolutions and products run in. */
    public static Precision current() {
        return CURRENT.get();
    }

    /** Runs this thread's layers in {@code precision} until the scope closes, then restores the previous one. */
    public static Scope use(Precision precision) {
        Precision previous = CURRENT.get();
        CURRENT.set(precision);
        return new Scope(previous);
    }

    /** What {@link #use} returns: closing it gives the thread back the precision it had. */
    public static final class Scope implements AutoCloseable {
        private final Precision previous;

        private Scope(Precision previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            CURRENT.set(previous);
        }
    }

    /**
     * A square-strided, square-padded 2-D correlation with dilation 1 and one group, the only kind
     * the networks use: N x C x H x W by F x C x k x k, plus an optional bias of F.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray bias, int stride, int padding) {
        if (current() == Precision.BFLOAT16 && channelsInBlocks(x, w)) {
            return bf16(x, w, bias, new long[] {CONV2D, stride, padding});
        }
        long outChannels = w.getShape().get(0);
        if (x.getDevice().isGpu() || outChannels % CHANNEL_BLOCK == 0 || !JniUtils.isGradMode()) {
            return float32Conv2d(x, w, bias, stride, padding);
        }
        // x's gradient would come from oneDNN's backward-data kernel, wrong for such output counts
        // (CHANNEL_BLOCK): pad the filters with zeros to the block and drop the extra outputs. Their
        // gradient is zero, so x's gradient is exactly the thin layer's. Grad mode, not x's own flag:
        // DJL's hasGradient() is false for an intermediate array that does carry a graph.
        NDManager scratch = x.getManager();
        long extra = CHANNEL_BLOCK - outChannels % CHANNEL_BLOCK;
        Shape filter = w.getShape();
        // a result lands on its first operand's manager, a weight's: these belong to the pass
        NDArray wide = w.concat(scratch.zeros(new Shape(extra, filter.get(1), filter.get(2), filter.get(3))), 0);
        wide.attach(scratch);
        NDArray wideBias = null;
        if (bias != null) {
            wideBias = bias.concat(scratch.zeros(new Shape(extra)), 0);
            wideBias.attach(scratch);
        }
        return float32Conv2d(x, wide, wideBias, stride, padding).get(":, :{}", outChannels);
    }

    private static NDArray float32Conv2d(NDArray x, NDArray w, NDArray bias, int stride, int padding) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, bias, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1)).singletonOrThrow();
    }

    /**
     * The CPU channel counts that DJL's libtorch 2.7.1 (its oneDNN) computes right on every processor
     * tried. On a 2-core AMD EPYC with AVX-512 and AVX512_BF16 (no AMX), measured against float64:
     * the float32 convolution's input gradient was 11-90% off, or NaN from memory it never wrote,
     * whenever the output channels were not a multiple of 16 (outputs and weight gradients right to
     * 1e-6); the bfloat16 convolution's outputs were up to 90% off for such output counts and its
     * input gradients 10-30% off for such input counts. Right to rounding for every multiple of 16
     * tried, and on a Xeon with AMX for every shape (MixedPrecisionTest). The thin layers are the
     * ends of the networks (an image's 1 or 3 channels, four sub-pixel phases each), a small share of
     * the multiply-adds: in bfloat16 they run float32, and in float32 a layer whose input needs a
     * gradient computes a block of outputs and keeps its own.
     */
    static final int CHANNEL_BLOCK = 16;

    static boolean channelsInBlocks(NDArray x, NDArray w) {
        return x.getDevice().isGpu()
                || (w.getShape().get(0) % CHANNEL_BLOCK == 0 && w.getShape().get(1) % CHANNEL_BLOCK == 0);
    }

    /** {@code x · wᵀ + bias} over the last axis of x, as DJL's {@code Linear.linear}. */
    public static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        if (current() == Precision.FLOAT32) {
            return ai.djl.nn.core.Linear.linear(x, w, bias).singletonOrThrow();
        }
        return bf16(x, w, bias, new long[] {LINEAR});
    }

    private static NDArray bf16(NDArray x, NDArray w, NDArray bias, long[] op) {
        NDArray b = bias != null ? bias : Kernels.NO_BIAS;
        // the training flag only decides whether libtorch may record a graph: grad mode and the
        // inputs' requires-grad decide whether it does, as for any other op
        return IValueUtils.forward(Kernels.OPS, new NDList(x, w, b, Kernels.meta(op)), true).singletonOrThrow();
    }

    /** Holder: loads the module on first bfloat16 use, never for a float32-only process. */
    private static final class Kernels {
        // a manager of its own, never closed: the module and these constants live as long as the process
        private static final NDManager MANAGER = NDManager.newBaseManager(Device.cpu());
        static final PtSymbolBlock OPS = load();
        /**
         * The op codes and an empty bias stay on the CPU whatever device the data is on: the module
         * only reads them as integers, and a GPU copy would cost a device sync per call.
         */
        static final NDArray NO_BIAS = MANAGER.create(new float[0]);
        private static final Map<List<Long>, NDArray> METAS = new ConcurrentHashMap<>();

        static NDArray meta(long[] op) {
            return METAS.computeIfAbsent(Arrays.stream(op).boxed().toList(), key -> {
                synchronized (MANAGER) {
                    return MANAGER.create(op);
                }
            });
        }

        private static PtSymbolBlock load() {
            try (InputStream in = MixedPrecision.class.getResourceAsStream("mixed_ops.pt")) {
                if (in == null) {
                    throw new IllegalStateException("mixed_ops.pt is missing from the classpath");
                }
                return JniUtils.loadModule((PtNDManager) MANAGER, in, false, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the bfloat16 kernels", e);
            }
        }
    }
}
