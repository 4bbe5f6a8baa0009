package io.ganserve.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns libtorch's grad mode off on this thread for a scope and gives the thread back what it had.
 * Grad mode is thread-local and only the engine's loading thread starts with it off, so inference
 * must not trust the caller's thread; a gradient collector opened inside turns it on for its own
 * lifetime only.
 */
public final class GradModeOff implements AutoCloseable {

    private final boolean previous;

    public GradModeOff() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
