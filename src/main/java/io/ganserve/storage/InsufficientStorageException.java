package io.ganserve.storage;

/** A write failed for lack of disk space; answered 507 Insufficient Storage. */
public final class InsufficientStorageException extends RuntimeException {

    public InsufficientStorageException(String what, Throwable cause) {
        super(OutOfSpace.MESSAGE + ": " + what, cause);
    }
}
