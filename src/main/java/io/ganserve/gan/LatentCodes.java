package io.ganserve.gan;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * InfoGAN's structured latent codes (Chen et al., 2016), fed to G after the noise: one categorical
 * code with {@code categorical} values (one-hot) and {@code continuous} codes drawn from U(−1, 1).
 * The discriminator's Q head predicts them back from G's output.
 *
 * @param categorical values of the categorical code, 0 for none
 * @param continuous number of continuous codes, 0 for none
 */
public record LatentCodes(int categorical, int continuous) {

    public static final LatentCodes NONE = new LatentCodes(0, 0);

    public LatentCodes {
        if (categorical < 0 || continuous < 0) {
            throw new IllegalArgumentException("code counts must not be negative: " + categorical + ", " + continuous);
        }
    }

    /** Columns the codes take in G's input and in the Q head's output. */
    @JsonIgnore
    public int width() {
        return categorical + continuous;
    }

    @JsonIgnore
    public boolean isPresent() {
        return width() > 0;
    }

    /**
     * Codes as users name them, after the paper's figures: {@code c1} is the categorical code when
     * there is one, the continuous codes follow; -1 when {@code name} is no code of these.
     */
    public int indexOf(String name) {
        if (name == null || !name.matches("c[1-9][0-9]?")) {
            return -1;
        }
        int index = Integer.parseInt(name.substring(1)) - 1;
        return index < count() ? index : -1;
    }

    /** Codes by name: the categorical one (if any) then each continuous one. */
    @JsonIgnore
    public int count() {
        return (categorical > 0 ? 1 : 0) + continuous;
    }

    /**
     * Writes one sample's codes into {@code dst} from {@code offset}: the categorical value one-hot,
     * then the continuous codes; each is {@code pinned[i]} (indexed like {@link #indexOf}) where that
     * is not null, else drawn as training draws it (uniform value, U(−1, 1)). Only drawn codes use
     * {@code rng}, so pinning one code leaves the others' draws as they were.
     */
    public void drawInto(float[] dst, int offset, java.util.random.RandomGenerator rng, Double[] pinned) {
        int index = 0;
        if (categorical > 0) {
            Double value = pinned == null ? null : pinned[0];
            dst[offset + (value != null ? value.intValue() : rng.nextInt(categorical))] = 1;
            index = 1;
        }
        for (int j = 0; j < continuous; j++, index++) {
            Double value = pinned == null ? null : pinned[index];
            dst[offset + categorical + j] = value != null ? value.floatValue() : (float) (rng.nextDouble() * 2 - 1);
        }
    }

    /** Whether code number {@code index} (0-based, as {@link #indexOf}) is the categorical one. */
    public boolean isCategorical(int index) {
        return categorical > 0 && index == 0;
    }
}
