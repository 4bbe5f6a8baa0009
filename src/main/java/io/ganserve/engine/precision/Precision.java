package io.ganserve.engine.precision;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
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
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision named {@code float32} or {@code bfloat16} (any case). */
    @JsonCreator
    public static Precision of(String name) {
        return Arrays.stream(values())
                .filter(p -> p.wireName().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown precision '" + name
                        + "'; expected float32 or bfloat16"));
    }
}
