package io.ganserve.engine.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@code Linear} that follows this thread's {@link MixedPrecision}; named like DJL's for the
 * reason {@link Conv2d} gives (parameter paths in checkpoints).
 */
public final class Linear extends ai.djl.nn.core.Linear {

    private final Parameter weight;
    private final Parameter bias;

    private Linear(ai.djl.nn.core.Linear.Builder builder) {
        super(builder);
        this.weight = getDirectParameters().get("weight");
        this.bias = getDirectParameters().contains("bias") ? getDirectParameters().get("bias") : null;
    }

    /** A mixed-precision linear layer from a configured DJL builder. */
    public static Linear of(ai.djl.nn.core.Linear.Builder builder) {
        return new Linear(builder);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (MixedPrecision.current() == Precision.FLOAT32) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, x.getDevice(), training);
        return new NDList(MixedPrecision.linear(x, w, b));
    }
}
