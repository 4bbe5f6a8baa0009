package io.ganserve.jobs;

public final class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String id) {
        super("no job with id '" + id + "'");
    }
}
