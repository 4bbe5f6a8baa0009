package io.ganserve.engine;

import ai.djl.Device;

/** The deep-learning engine the service runs on, as loaded at start. */
public record EngineInfo(String name, String version, Device device, int gpuCount) {

    /** "cpu" or "gpu". */
    public String deviceType() {
        return device.isGpu() ? "gpu" : "cpu";
    }
}
