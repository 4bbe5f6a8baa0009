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
 * A 2-D convolution whose kernel is spectrally normalised as the matrix (filters, in·k·k), the
 * paper's (and PyTorch's {@code spectral_norm}'s) cheap stand-in for the norm of the convolution
 * operator itself. Parameters as DJL's {@code Conv2d}: {@code weight} (filters, in, k, k) and
 * {@code bias} (filters), plus the non-trainable power-iteration vector {@code u} (filters).
 */
public final class SpectralConv2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter u;

    /**
     * @param filters output feature maps
     * @param kernel square kernel size
     * @param stride step in both directions
     * @param padding zeros added on each border
     * @param withBias false before a normalisation whose shift makes a bias redundant
     */
    public SpectralConv2d(int filters, int kernel, int stride, int padding, boolean withBias) {
        super(VERSION);
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("bad convolution: filters " + filters + ", kernel " + kernel
                    + ", stride " + stride + ", padding " + padding);
        }
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                : null;
        this.u = addParameter(SpectralNorm.leftVector());
    }

    /** Output side length for an input side length. */
    public int outputSize(int inputSize) {
        return (inputSize + 2 * padding - kernel) / stride + 1;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // N x in x H x W
        NDManager scratch = x.getManager();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training); // filters x in x k x k
        NDArray vector = parameterStore.getValue(u, x.getDevice(), false); // filters
        NDArray normalised = SpectralNorm.normalise(w, vector, training, scratch); // filters x in x k x k
        NDArray b = bias == null ? null : parameterStore.getValue(bias, x.getDevice(), training); // filters
        // N x filters x H' x W' (outputSize), on x's manager
        return new NDList(MixedPrecision.conv2d(x, normalised, b, stride, padding));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {
            new Shape(in.get(0), filters, outputSize((int) in.get(2)), outputSize((int) in.get(3)))
        };
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(filters, inputShapes[0].get(1), kernel, kernel));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
        u.setShape(new Shape(filters));
    }

    @Override
    public String toString() {
        return "SpectralConv2d(filters=" + filters + ", k=" + kernel + ", s=" + stride + ", p=" + padding
                + ", bias=" + (bias != null) + ")";
    }
}
