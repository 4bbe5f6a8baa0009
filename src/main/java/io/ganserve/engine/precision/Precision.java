package io.ganserve.engine.precision;

import java.util.Locale;

/**
 * The arithmetic of a network's convolutions and matrix products. Weights, optimiser state, losses,
 * normalisations and everything else stay float32 in both; see {@link MixedPrecision}.
 */
public enum Precision {
    FLOAT32,
    /** bfloat16 products with float32 accumulation and float32 master weights (mixed precision). */
    BFLOAT16;

    /** The name jobs and settings use: {@code float32}, {@code bfloat16}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
