package io.ganserve.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A score a job can be stopped on or keep its best checkpoint by; each knows which way is better. */
public enum Metric {
    /** Fréchet distance on the feature network's penultimate layer (images). */
    FD("fd", false),
    /** Inception-score analogue with the dataset's own classifier (images). */
    IS("is", true),
    PRECISION("precision", true),
    RECALL("recall", true),
    /** Parzen-window mean log-likelihood of the test split (images). */
    PARZEN("parzen", true),
    /** Mixture modes covered by high-quality samples (points). */
    MODES("modes", true),
    /** Share of samples within 3 std of a mode (points). */
    HIGH_QUALITY("hq", true),
    /** KL of the high-quality samples' mode histogram from uniform (points). */
    KL("kl", false);

    private final String id;
    private final boolean higherIsBetter;

    Metric(String id, boolean higherIsBetter) {
        this.id = id;
        this.higherIsBetter = higherIsBetter;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether {@code candidate} beats {@code incumbent} (null: nothing to beat). */
    public boolean improves(double candidate, Double incumbent) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        return incumbent == null || (higherIsBetter ? candidate > incumbent : candidate < incumbent);
    }

    @JsonCreator
    public static Metric of(String id) {
        for (Metric m : values()) {
            if (m.id.equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + id + "'; one of fd, is, precision, recall, parzen, "
                + "modes, hq, kl");
    }
}
