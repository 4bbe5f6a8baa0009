package io.ganserve.training.cyclegan;

/**
 * The losses of one CycleGAN step.
 *
 * @param generator the generators' whole objective (adversarial + cycle + identity)
 * @param adversarial the generators' least-squares terms, both directions summed
 * @param cycle λ-weighted cycle-consistency L1, both directions summed
 * @param identity weighted identity L1, both directions summed
 * @param criticA D_A's least-squares loss
 * @param criticB D_B's least-squares loss
 */
public record CycleStepResult(float generator, float adversarial, float cycle, float identity, float criticA,
                              float criticB) {

    public boolean isFinite() {
        return Float.isFinite(generator) && Float.isFinite(criticA) && Float.isFinite(criticB);
    }
}
