package io.ganserve.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work handed to another thread, with its failure rethrown as the worker threw it. */
public final class Futures {

    private Futures() {}

    /**
     * The result of {@code future}; a RuntimeException or Error of the work is rethrown as it was,
     * and an interrupt cancels the work and is kept.
     *
     * @param doing what the caller waits for, for the interrupt's message ("generating")
     */
    public static <T> T await(Future<T> future, String doing) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
