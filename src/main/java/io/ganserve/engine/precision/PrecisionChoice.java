package io.ganserve.engine.precision;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What a job or the service asks for: a precision, or {@code auto} to let the hardware decide. */
public enum PrecisionChoice {
    AUTO,
    FLOAT32,
    BFLOAT16;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice named {@code auto}, {@code float32} or {@code bfloat16}; null for any other text. */
    public static PrecisionChoice parse(String text) {
        for (PrecisionChoice c : values()) {
            if (c.wireName().equals(text)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The choice a request names, in any case, as the other enum fields of a request read; any other
     * text is refused with the names allowed.
     */
    @JsonCreator
    public static PrecisionChoice of(String name) {
        PrecisionChoice choice = name == null ? null : parse(name.toLowerCase(Locale.ROOT));
        if (choice == null) {
            throw new IllegalArgumentException("unknown precision '" + name + "'; expected one of "
                    + Arrays.toString(wireNames()));
        }
        return choice;
    }

    /**
     * The precision this choice means for one network: {@code auto} is bfloat16 only where it pays,
     * convolutional networks on a device with native bfloat16 arithmetic (measured in docs/precision.md);
     * the one rule jobs and serving both follow.
     */
    public Precision resolve(boolean convolutional, boolean nativeBf16) {
        return switch (this) {
            case FLOAT32 -> Precision.FLOAT32;
            case BFLOAT16 -> Precision.BFLOAT16;
            case AUTO -> convolutional && nativeBf16 ? Precision.BFLOAT16 : Precision.FLOAT32;
        };
    }

    public static String[] wireNames() {
        return Arrays.stream(values()).map(PrecisionChoice::wireName).toArray(String[]::new);
    }
}
