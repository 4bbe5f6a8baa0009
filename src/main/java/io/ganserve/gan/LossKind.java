package io.ganserve.gan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.function.Supplier;

/** The adversarial objectives a job can train with. */
public enum LossKind {
    MINIMAX("minimax", MinimaxLoss::new),
    NON_SATURATING("non-saturating", NonSaturatingLoss::new);

    private final String id;
    private final Supplier<GanLoss> factory;

    LossKind(String id, Supplier<GanLoss> factory) {
        this.id = id;
        this.factory = factory;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public GanLoss create() {
        return factory.get();
    }

    @JsonCreator
    public static LossKind of(String id) {
        return Arrays.stream(values())
                .filter(l -> l.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown loss '" + id + "'; expected one of " + Arrays.toString(ids())));
    }

    public static String[] ids() {
        return Arrays.stream(values()).map(LossKind::id).toArray(String[]::new);
    }
}
