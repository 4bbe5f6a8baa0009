package io.ganserve.sampling;

import io.ganserve.registry.ModelInfo;

/** What serving reports as it works; metrics listen. Must be quick and must not throw. */
public interface SamplingEvents {

    SamplingEvents NONE = new SamplingEvents() {};

    default void samplesDrawn(int count) {}

    /** One generator pass ran {@code requests} requests' {@code samples} samples together. */
    default void batchRun(int requests, int samples) {}

    /** A generator was read from disk into memory. */
    default void modelLoaded(ModelInfo model, long step) {}

    /** The model served by default changed: {@code model} (null: none), pinned or the newest. */
    default void defaultModelChanged(ModelInfo model, boolean pinned) {}
}
