package io.ganserve.engine.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@code Conv2d} that follows this thread's {@link MixedPrecision}. The simple name is
 * DJL's on purpose: a sequential block names its children by simple class name, and those names
 * are the parameter paths in checkpoints and optimiser state, which therefore stay what they were.
 * Dilated or grouped convolutions (the networks have none) always run DJL's own float32 op.
 */
public final class Conv2d extends ai.djl.nn.convolutional.Conv2d {

    private Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
        super(builder);
    }

    /** A mixed-precision convolution from a configured DJL builder. */
    public static Conv2d of(ai.djl.nn.convolutional.Conv2d.Builder builder) {
        return new Conv2d(builder);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        boolean square = stride.get(0) == stride.get(1) && padding.get(0) == padding.get(1);
        boolean plain = dilation.get(0) == 1 && dilation.get(1) == 1 && groups == 1;
        // float32 too goes through MixedPrecision.conv2d, which keeps thin layers off a faulty kernel
        if (!square || !plain) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
        return new NDList(MixedPrecision.conv2d(x, w, b, (int) stride.get(0), (int) padding.get(0)));
    }
}
