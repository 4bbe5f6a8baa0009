package io.ganserve.sampling;

/** More requests wait for a model's generator passes than {@link Batching#maxQueued} allows: try again shortly. */
public final class InferenceQueueFullException extends RuntimeException {

    public InferenceQueueFullException(String jobId, int maxQueued) {
        super(maxQueued + " requests already wait for the generator of job " + jobId
                + " (ganserve.sampling.batch-queue); try again shortly");
    }
}
