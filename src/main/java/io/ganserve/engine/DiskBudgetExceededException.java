package io.ganserve.engine;

/** Work whose planned files need more disk than is free, refused before it writes anything: HTTP 507. */
public final class DiskBudgetExceededException extends RuntimeException {

    public DiskBudgetExceededException(String message) {
        super(message);
    }
}
