package io.ganserve.engine;

/** Work that needs more disk than is free (or a write that found the disk full): HTTP 507. */
public final class InsufficientStorageException extends RuntimeException {

    public InsufficientStorageException(String message) {
        super(message);
    }

    public InsufficientStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
