package io.ganserve.training.cyclegan;

import io.ganserve.engine.precision.Precision;
import io.ganserve.gan.cyclegan.TranslatorSpec;

/**
 * Everything a CycleGAN run needs besides its data. {@link #defaults} are the paper's (λ = 10,
 * identity ½λ, a pool of 50, Adam 2e-4 with β1 0.5, constant then linear decay over the second half)
 * at a size that trains on two CPU cores in tens of minutes.
 *
 * @param cycleWeight λ on ‖F(G(a)) − a‖₁ + ‖G(F(b)) − b‖₁
 * @param identityWeight the weight on ‖G(b) − b‖₁ + ‖F(a) − a‖₁, as a share of λ (the paper's 0.5)
 * @param precision what each step's convolutions multiply in
 */
public record CycleGanSettings(TranslatorSpec spec, int steps, int batchSize, float learningRate, float beta1,
                               float beta2, float cycleWeight, float identityWeight, int poolSize, long seed,
                               Precision precision) {

    /** Settings that train in float32. */
    public CycleGanSettings(TranslatorSpec spec, int steps, int batchSize, float learningRate, float beta1,
                            float beta2, float cycleWeight, float identityWeight, int poolSize, long seed) {
        this(spec, steps, batchSize, learningRate, beta1, beta2, cycleWeight, identityWeight, poolSize, seed,
                Precision.FLOAT32);
    }

    public CycleGanSettings {
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
        if (steps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("steps and batchSize must be positive");
        }
        if (!(learningRate > 0) || cycleWeight < 0 || identityWeight < 0 || poolSize < 0) {
            throw new IllegalArgumentException("learning rate must be positive; weights and pool size not negative");
        }
    }

    /** The paper's settings for {@code side}-pixel RGB images, with this service's default size and steps. */
    public static CycleGanSettings defaults(int side, long seed) {
        return new CycleGanSettings(new TranslatorSpec(3, side, 16, 4, 32), 6_000, 8, 2e-4f, 0.5f, 0.999f,
                10f, 0.5f, 50, seed);
    }

    public CycleGanSettings withSteps(int newSteps) {
        return new CycleGanSettings(spec, newSteps, batchSize, learningRate, beta1, beta2, cycleWeight, identityWeight,
                poolSize, seed, precision);
    }

    public CycleGanSettings withSpec(TranslatorSpec newSpec) {
        return new CycleGanSettings(newSpec, steps, batchSize, learningRate, beta1, beta2, cycleWeight,
                identityWeight, poolSize, seed, precision);
    }

    public CycleGanSettings withPrecision(Precision value) {
        return new CycleGanSettings(spec, steps, batchSize, learningRate, beta1, beta2, cycleWeight, identityWeight,
                poolSize, seed, value);
    }

    /** The paper's schedule scaled to the run (constant, then linear to zero over the second half). */
    public float rateFactor(long step) {
        return io.ganserve.registry.LearningRateSchedule.HALF_THEN_LINEAR.factor(step, steps);
    }
}
