package io.ganserve.jobs;

/** The job is in a state that does not allow what was asked (e.g. cancelling a finished job). */
public final class JobConflictException extends RuntimeException {

    public JobConflictException(String message) {
        super(message);
    }
}
