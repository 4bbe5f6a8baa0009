package io.ganserve.training;

/** The losses one iteration of Algorithm 1 ended with. */
public record StepResult(float generatorLoss, float discriminatorLoss) {

    public boolean isFinite() {
        return Float.isFinite(generatorLoss) && Float.isFinite(discriminatorLoss);
    }
}
