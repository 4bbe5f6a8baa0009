package io.ganserve.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.ganserve.engine.precision.MixedPrecision;

/**
 * A 2-D transposed convolution (PyTorch's {@code ConvTranspose2d}), which DJL's PyTorch engine
 * does not implement.
 *
 * <p>It uses the sub-pixel (phase) decomposition: a stride-s transposed convolution with a k x k
 * kernel equals s² ordinary convolutions with (k/s) x (k/s) kernels on the input grid, one per
 * output phase, interleaved by a depth-to-space reshape. All s² phases run as one convolution with
 * s²·out channels, so the work is that of a native transposed convolution instead of the 4× that
 * zero-insertion would cost at stride 2. The weight has PyTorch's layout (in, out, k, k), so
 * checkpoints map one-to-one onto {@code nn.ConvTranspose2d}.
 */
public final class TransposedConv2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private int inChannels;
    /** Phase kernels made once from weights that no longer change ({@link #freeze}); null while they may. */
    private volatile NDArray frozenKernels;

    /**
     * @param outChannels output feature maps
     * @param kernel square kernel size; must be a multiple of {@code stride}
     * @param stride upsampling factor
     * @param padding PyTorch's {@code padding}: rows and columns cropped from each border
     * @param withBias false before a batch norm, whose shift makes a bias redundant
     */
    public TransposedConv2d(int outChannels, int kernel, int stride, int padding, boolean withBias) {
        super(VERSION);
        if (kernel % stride != 0) {
            throw new IllegalArgumentException("kernel " + kernel + " must be a multiple of stride " + stride);
        }
        if (padding >= kernel) {
            throw new IllegalArgumentException("padding " + padding + " must be smaller than kernel " + kernel);
        }
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                : null;
    }

    /** Output side length for an input side length, as PyTorch computes it. */
    public int outputSize(int inputSize) {
        return (inputSize - 1) * stride - 2 * padding + kernel;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // N x in x H x W
        NDManager scratch = x.getManager();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        long n = x.getShape().get(0);
        long h = x.getShape().get(2);
        long width = x.getShape().get(3);
        int taps = kernel / stride;

        NDArray frozen = frozenKernels;
        NDArray phaseKernels = frozen != null && !training && frozen.getDevice().equals(x.getDevice())
                ? frozen : phaseKernels(w, scratch); // s²·out x in x taps x taps
        // Each phase sees the input padded by taps-1, producing (H + taps - 1) positions per side.
        NDArray phases = MixedPrecision.conv2d(x, phaseKernels, null, 1, taps - 1); // N x s²·out x (H+taps-1) x (W+taps-1)
        long qh = h + taps - 1;
        long qw = width + taps - 1;
        NDArray interleaved = phases.reshape(n, stride, stride, outChannels, qh, qw)
                .transpose(0, 3, 4, 1, 5, 2)
                .reshape(n, outChannels, qh * stride, qw * stride); // N x out x s·Qh x s·Qw
        int outH = outputSize((int) h);
        int outW = outputSize((int) width);
        NDArray y = interleaved.get(":, :, {}:{}, {}:{}", padding, padding + outH, padding, padding + outW);
        if (bias != null) {
            NDArray b = parameterStore.getValue(bias, x.getDevice(), training).reshape(1, outChannels, 1, 1);
            b.attach(scratch);
            y = y.add(b);
        }
        return new NDList(y);
    }

    /**
     * Makes the phase kernels once, from the weights as they are now, for every later inference
     * forward to use: for a copy of the weights that never changes, such as a served generator's.
     * Rearranging the kernel (a flip and a six-axis transpose) cost a DCGAN-28 generator about
     * 2 ms of a 6 ms forward of 16 samples on every call. Training forwards always rearrange the
     * weights they are given, so a frozen layer still trains correctly, but its inference forwards
     * would not see the new weights: never freeze weights that train.
     *
     * @param manager where the kernels live, as long as the weights (they are not closed here)
     * @return the bytes the kernels take
     */
    public long freeze(NDManager manager) {
        NDArray w = weight.getArray();
        try (NDManager scratch = manager.newSubManager(w.getDevice())) {
            NDArray kernels = phaseKernels(w, scratch);
            kernels.attach(manager);
            frozenKernels = kernels;
            return kernels.size() * kernels.getDataType().getNumOfBytes();
        }
    }

    /**
     * Rearranges the (in, out, k, k) kernel into one small correlation kernel per output phase.
     * Output row y = q·s + r − p takes kernel rows r + s·t from input rows q − t; flipping t turns
     * that into an ordinary correlation, which is what {@code conv2d} computes.
     */
    private NDArray phaseKernels(NDArray w, NDManager scratch) {
        int taps = kernel / stride;
        NDArray k = w.reshape(inChannels, outChannels, taps, stride, taps, stride); // in,out,t_y,r_y,t_x,r_x
        k.attach(scratch);
        NDArray flipped = k.flip(2, 4);
        flipped.attach(scratch);
        NDArray ordered = flipped.transpose(3, 5, 1, 0, 2, 4); // r_y, r_x, out, in, t_y, t_x
        ordered.attach(scratch);
        NDArray result = ordered.reshape((long) stride * stride * outChannels, inChannels, taps, taps);
        result.attach(scratch);
        return result;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {
            new Shape(in.get(0), outChannels, outputSize((int) in.get(2)), outputSize((int) in.get(3)))
        };
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        inChannels = (int) inputShapes[0].get(1);
        weight.setShape(new Shape(inChannels, outChannels, kernel, kernel));
        if (bias != null) {
            bias.setShape(new Shape(outChannels));
        }
    }

    @Override
    public String toString() {
        return "TransposedConv2d(out=" + outChannels + ", k=" + kernel + ", s=" + stride + ", p=" + padding + ")";
    }
}
