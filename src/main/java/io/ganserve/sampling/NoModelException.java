package io.ganserve.sampling;

/** Nothing to sample from: no job has finished yet, or the named job has no checkpoint yet. */
public final class NoModelException extends RuntimeException {

    public NoModelException(String message) {
        super(message);
    }
}
