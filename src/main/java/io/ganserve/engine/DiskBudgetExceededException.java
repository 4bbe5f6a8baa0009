package io.ganserve.engine;

/**
 * Work whose planned files need more disk than is free, refused before it writes anything: HTTP 507.
 * Carries the figures, so a client can read what was needed without parsing the message.
 */
public final class DiskBudgetExceededException extends RuntimeException {

    private final long neededBytes;
    private final long freeBytes;
    private final long minFreeBytes;

    public DiskBudgetExceededException(String message, long neededBytes, long freeBytes, long minFreeBytes) {
        super(message);
        this.neededBytes = neededBytes;
        this.freeBytes = freeBytes;
        this.minFreeBytes = minFreeBytes;
    }

    /** What the work plans to write. */
    public long neededBytes() {
        return neededBytes;
    }

    /** Usable space of the file system when it was refused. */
    public long freeBytes() {
        return freeBytes;
    }

    /** What the file system keeps free beyond it (ganserve.resources.min-free-disk). */
    public long minFreeBytes() {
        return minFreeBytes;
    }
}
