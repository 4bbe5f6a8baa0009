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
 * A fully connected layer whose weight is spectrally normalised (see {@link SpectralNorm}).
 * Parameters as DJL's {@code Linear}: {@code weight} (units, in) and {@code bias} (units), plus the
 * non-trainable power-iteration vector {@code u} (units), which checkpoints carry.
 */
public final class SpectralLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final long units;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter u;

    /** A layer with a bias. */
    public SpectralLinear(long units) {
        this(units, true);
    }

    /**
     * @param units output features
     * @param withBias false where a following normalisation's shift makes a bias redundant
     */
    public SpectralLinear(long units, boolean withBias) {
        super(VERSION);
        this.units = units;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                : null;
        this.u = addParameter(SpectralNorm.leftVector());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // ... x in
        NDManager scratch = x.getManager();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training); // units x in
        NDArray vector = parameterStore.getValue(u, x.getDevice(), false); // units
        NDArray normalised = SpectralNorm.normalise(w, vector, training, scratch); // units x in
        NDArray b = bias == null ? null : parameterStore.getValue(bias, x.getDevice(), training); // units
        return new NDList(MixedPrecision.linear(x, normalised, b)); // ... x units, on x's manager
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(units)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        weight.setShape(new Shape(units, in.get(in.dimension() - 1)));
        if (bias != null) {
            bias.setShape(new Shape(units));
        }
        u.setShape(new Shape(units));
    }

    @Override
    public String toString() {
        return "SpectralLinear(units=" + units + ", bias=" + (bias != null) + ")";
    }
}
