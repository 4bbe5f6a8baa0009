package io.ganserve.sampling;

/** A model cannot be removed now: a request is using it, or it is pinned as the default. */
public final class ModelInUseException extends RuntimeException {

    public ModelInUseException(String message) {
        super(message);
    }
}
