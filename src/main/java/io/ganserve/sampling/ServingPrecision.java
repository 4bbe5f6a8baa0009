package io.ganserve.sampling;

import io.ganserve.engine.precision.Precision;
import io.ganserve.engine.precision.PrecisionChoice;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.NetworkSpec;
import java.util.Objects;

/**
 * What served generators' passes multiply in ({@code ganserve.sampling.precision}), resolved per
 * model: {@code auto} is bfloat16 for convolutional generators where the device multiplies it
 * natively and float32 otherwise, the rule jobs follow (PrecisionChoice.resolve). A DCGAN-28 pass of
 * 16 samples took 3.68 ms of CPU in bfloat16 against 4.25 in float32 on a Xeon with AMX, and a
 * batched pass of 64 took 10.5 against 14.7 (docs/benchmarks.md); the MLP point generators'
 * products are too small for the casts to pay.
 *
 * @param choice the setting
 * @param nativeBf16 whether the service's device multiplies bfloat16 natively
 */
public record ServingPrecision(PrecisionChoice choice, boolean nativeBf16) {

    /** float32 for every model, whatever the hardware: progress grids and tests that compare pixels. */
    public static final ServingPrecision FLOAT32 = new ServingPrecision(PrecisionChoice.FLOAT32, false);

    public ServingPrecision {
        Objects.requireNonNull(choice, "choice");
    }

    /** The precision {@code model}'s passes run in. */
    public Precision forModel(NetworkSpec model) {
        return choice.resolve(Architecture.convolutional(model.architecture()), nativeBf16);
    }
}
