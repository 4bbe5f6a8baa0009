package io.ganserve.engine.precision;

import java.util.Locale;

/** What a job or the service asks for: a precision, or {@code auto} to let the hardware decide. */
public enum PrecisionChoice {
    AUTO,
    FLOAT32,
    BFLOAT16;

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
}
