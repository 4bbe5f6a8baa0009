package io.ganserve.registry;

import io.ganserve.engine.precision.Precision;
import java.time.Instant;

/**
 * An encoder trained for a finished job's generator (learned inference, docs/inference.md), kept in
 * the job's folder beside its generator: {@code encoder.json} is this record, {@code encoder.bin}
 * the weights once it has SUCCEEDED.
 *
 * @param generatorStep the generator step the encoder inverts
 * @param status QUEUED, RUNNING, SUCCEEDED or FAILED
 * @param stepsDone updates made so far
 * @param loss the latest batch's mean squared latent error, null before the first update
 * @param validationError mean squared latent error per dimension on held-out generated pairs, once trained
 * @param memoryBytes the native memory the run declared (and reserved) before it started
 * @param seconds training time, once finished
 * @param precision what the encoder's updates multiplied in (float32 for records written before it was recorded)
 */
public record EncoderRecord(
        String jobId,
        long generatorStep,
        String status,
        int steps,
        int batchSize,
        float learningRate,
        long seed,
        long stepsDone,
        Float loss,
        Double validationError,
        long memoryBytes,
        Instant requestedAt,
        Instant finishedAt,
        Double seconds,
        String error,
        Precision precision) {

    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public EncoderRecord {
        precision = precision == null ? Precision.FLOAT32 : precision;
    }

    public static EncoderRecord queued(String jobId, long generatorStep, int steps, int batchSize, float learningRate,
                                       long seed, Precision precision, long memoryBytes, Instant now) {
        return new EncoderRecord(jobId, generatorStep, QUEUED, steps, batchSize, learningRate, seed, 0, null, null,
                memoryBytes, now, null, null, null, precision);
    }

    public boolean isFinished() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }

    public EncoderRecord progressed(long done, float latest) {
        return new EncoderRecord(jobId, generatorStep, RUNNING, steps, batchSize, learningRate, seed, done, latest,
                null, memoryBytes, requestedAt, null, null, null, precision);
    }

    public EncoderRecord succeeded(double validation, Instant now, double took) {
        return new EncoderRecord(jobId, generatorStep, SUCCEEDED, steps, batchSize, learningRate, seed, stepsDone, loss,
                validation, memoryBytes, requestedAt, now, took, null, precision);
    }

    public EncoderRecord failed(String message, Instant now) {
        return new EncoderRecord(jobId, generatorStep, FAILED, steps, batchSize, learningRate, seed, stepsDone, loss,
                null, memoryBytes, requestedAt, now, null, message, precision);
    }
}
