package io.ganserve.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where a job trains: the service's own device ({@code auto}), or one named. */
public enum DeviceKind {
    AUTO("auto"),
    CPU("cpu"),
    GPU("gpu");

    private final String id;

    DeviceKind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static DeviceKind of(String id) {
        return Arrays.stream(values())
                .filter(d -> d.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown device '" + id + "'; expected one of [auto, cpu, gpu]"));
    }
}
