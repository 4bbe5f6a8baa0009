package io.ganserve.jobs;

/** A worker's write was refused because its lease on the job has passed to another worker. */
final class LeaseLostException extends RuntimeException {
    LeaseLostException(String jobId, String workerId) {
        super("worker " + workerId + " no longer holds the lease on job " + jobId);
    }
}
