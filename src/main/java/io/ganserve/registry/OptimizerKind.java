package io.ganserve.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

public enum OptimizerKind {
    ADAM("adam"),
    /** What Arjovsky et al. used for the weight-clipped WGAN: momentum-based optimisers destabilised it. */
    RMSPROP("rmsprop");

    private final String id;

    OptimizerKind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static OptimizerKind of(String id) {
        return Arrays.stream(values())
                .filter(o -> o.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown optimizer '" + id + "'; expected one of [adam, rmsprop]"));
    }
}
