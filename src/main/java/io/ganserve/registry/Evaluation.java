package io.ganserve.registry;

import java.time.Instant;

/**
 * One scoring of a job's generator.
 *
 * @param step the generator step scored
 * @param trigger {@code training} (evaluateEvery and the end of a run) or {@code request} (POST)
 * @param status RUNNING, SUCCEEDED or FAILED
 * @param samples generated samples the scores are computed on
 * @param seed the seed the samples were drawn with
 */
public record Evaluation(
        String id,
        String jobId,
        long step,
        String trigger,
        String status,
        int samples,
        long seed,
        Instant requestedAt,
        Instant finishedAt,
        Scores scores,
        String error) {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    /** A new evaluation of {@code jobId}'s generator at {@code step}, about to run. */
    public static Evaluation started(String jobId, long step, String trigger, int samples, long seed, Instant now) {
        return new Evaluation(java.util.UUID.randomUUID().toString(), jobId, step, trigger, RUNNING, samples, seed, now,
                null, null, null);
    }

    public Evaluation succeeded(long scoredStep, Scores result, Instant now) {
        return new Evaluation(id, jobId, scoredStep, trigger, SUCCEEDED, samples, seed, requestedAt, now, result, null);
    }

    public Evaluation failed(String message, Instant now) {
        return new Evaluation(id, jobId, step, trigger, FAILED, samples, seed, requestedAt, now, null, message);
    }
}
