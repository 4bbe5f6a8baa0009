package io.ganserve.training;

import io.ganserve.engine.precision.Precision;

/**
 * How an encoder is trained for a fixed generator.
 *
 * @param steps Adam updates
 * @param batchSize generated pairs (G(z), z) per update
 * @param learningRate Adam's step size (β1 0.5, β2 0.999, as for DCGAN)
 * @param seed draws the encoder's initial weights and every batch's noise
 * @param precision what the encoder's updates multiply in; its held-out error is measured in float32
 */
public record EncoderSettings(int steps, int batchSize, float learningRate, long seed, Precision precision) {

    /** Measured on Fashion-MNIST's DCGAN-28 (docs/inference.md): the held-out latent error has flattened by then. */
    public static final EncoderSettings DEFAULTS = new EncoderSettings(2000, 64, 2e-4f, 1);

    /** Settings that train in float32. */
    public EncoderSettings(int steps, int batchSize, float learningRate, long seed) {
        this(steps, batchSize, learningRate, seed, Precision.FLOAT32);
    }

    public EncoderSettings {
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
        if (steps < 1 || batchSize < 1 || !(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("steps and batchSize must be positive and learningRate positive, got "
                    + steps + ", " + batchSize + ", " + learningRate);
        }
    }

    public EncoderSettings withPrecision(Precision value) {
        return new EncoderSettings(steps, batchSize, learningRate, seed, value);
    }
}
