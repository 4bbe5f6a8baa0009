package io.ganserve.inversion;

import io.ganserve.gan.EncoderNetwork;
import io.ganserve.gan.NetworkCost;
import io.ganserve.gan.NetworkSpec;

/**
 * The native memory a projection request holds, priced from the model and the number of images
 * before it runs (as {@code SamplingCost} prices sampling). Per image and step: the generator's
 * activations and a gradient beside each, the feature network's likewise, the target, mask and
 * their copies; once per request: the kernels' per-pass copies of the generator's weights and the
 * encoder's pass. The encoder's and the feature network's weights are cached beside the served
 * generator and counted here too, as if this request loaded them.
 */
public final class InversionCost {

    /** The feature network keeps about this many floats per input pixel in a pass (two convolution stages). */
    static final int FEATURE_FLOATS_PER_PIXEL = 48;
    /** Its weights: two small convolutions and a 512 x 128 dense layer, with margin. */
    static final long FEATURE_PARAMETERS = 120_000;

    private InversionCost() {}

    public static long nativeBytes(NetworkSpec spec, int images) {
        NetworkCost net = NetworkCost.of(spec);
        EncoderNetwork.Cost encoder = EncoderNetwork.cost(spec);
        long pixels = spec.sampleLength();
        long perImage = 2 * net.generatorActivations() + 2L * FEATURE_FLOATS_PER_PIXEL * pixels + 8 * pixels
                + encoder.activationsPerExample() + 6L * spec.generatorInputDim();
        long fixed = NetworkCost.PASS_COPIES * net.generatorParameters() + encoder.parameters() + FEATURE_PARAMETERS;
        return Float.BYTES * (images * perImage + fixed);
    }
}
