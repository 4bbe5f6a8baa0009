package io.ganserve.jobs;

/** The bounded job queue has no room; the client should retry later. */
public final class QueueFullException extends RuntimeException {

    private final int capacity;

    public QueueFullException(int capacity) {
        super("the job queue is full (" + capacity + " queued jobs); retry when a job has started");
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
