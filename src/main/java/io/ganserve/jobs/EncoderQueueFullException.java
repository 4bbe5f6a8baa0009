package io.ganserve.jobs;

/** Encoders are trained one at a time per instance and a few may wait; the client should ask again later. */
public final class EncoderQueueFullException extends RuntimeException {

    public EncoderQueueFullException(int capacity) {
        super("encoder queue full: " + capacity + " encoder runs already wait behind the one training; retry later");
    }
}
