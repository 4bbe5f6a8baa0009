package io.ganserve.sampling;

import io.ganserve.gan.LatentCodes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * InfoGAN code values a request pins, by name ({@code c1:3,c2:0.5}); the codes it leaves out are
 * drawn at random, as in training.
 */
public final class CodeValues {

    /** How far a continuous code may be pushed: the paper's figures extrapolate to twice the training range U(−1, 1). */
    public static final double CONTINUOUS_LIMIT = 2.0;

    public static final CodeValues NONE = new CodeValues(Map.of());

    private final Map<String, Double> values;

    private CodeValues(Map<String, Double> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Parses {@code name:value} pairs separated by commas; null or blank pins nothing.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static CodeValues parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, Double> parsed = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split(":", -1);
            if (parts.length != 2 || !parts[0].matches("c[1-9][0-9]?")) {
                throw new IllegalArgumentException("must be name:value pairs separated by commas, e.g. c1:3,c2:0.5; '"
                        + pair.trim() + "' is not one");
            }
            double value;
            try {
                value = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the value of " + parts[0] + " must be a number, was '" + parts[1] + "'");
            }
            if (!Double.isFinite(value) || parsed.put(parts[0], value) != null) {
                throw new IllegalArgumentException(parts[0] + " must appear once, with a finite value");
            }
        }
        return new CodeValues(parsed);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The code part of G's input for {@code n} samples, row after row: pinned values where given,
     * random draws from {@code rng} elsewhere (categorical uniform, continuous U(−1, 1)).
     *
     * @throws IllegalArgumentException for a name the model lacks or a value outside its range
     */
    float[] draw(LatentCodes codes, int n, Random rng) {
        Double[] pinned = resolve(codes);
        int width = codes.width();
        float[] c = new float[n * width];
        for (int i = 0; i < n; i++) {
            codes.drawInto(c, i * width, rng, pinned);
        }
        return c;
    }

    /** The pinned value of each code of {@code codes} by position, null where it is drawn. */
    private Double[] resolve(LatentCodes codes) {
        Double[] pinned = new Double[codes.count()];
        for (Map.Entry<String, Double> e : values.entrySet()) {
            int index = codes.indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException(codes.count() == 0
                        ? "this generator has no latent codes (train one with infoGan)"
                        : e.getKey() + " is not a code of this generator, which has c1 to c" + codes.count());
            }
            double v = e.getValue();
            if (codes.isCategorical(index)) {
                if (v != Math.rint(v) || v < 0 || v >= codes.categorical()) {
                    throw new IllegalArgumentException(e.getKey() + " is categorical: a whole number from 0 to "
                            + (codes.categorical() - 1) + ", was " + v);
                }
            } else if (Math.abs(v) > CONTINUOUS_LIMIT) {
                throw new IllegalArgumentException(e.getKey() + " is continuous, trained on [-1, 1]: it must lie in [-"
                        + CONTINUOUS_LIMIT + ", " + CONTINUOUS_LIMIT + "], was " + v);
            }
            pinned[index] = v;
        }
        return pinned;
    }
}
