package io.ganserve.training;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What one iteration of Algorithm 1 ended with: the losses, and the figures a variant adds to them.
 * A job keeps its latest one ({@code Job.losses}, stored with the job and shown by the API), so a new
 * variant's figure is added here, as a boxed field null for the GANs without it.
 *
 * @param discriminatorLoss the critic's whole loss, gradient penalty included
 * @param wassersteinEstimate −(critic loss without penalty) for the Wasserstein losses; null otherwise
 * @param gradientPenalty λ·E[(‖∇f(x̂)‖ − 1)²] when the job uses one; null otherwise
 * @param mutualInformation InfoGAN's lower bound on I(c; G(z, c)) for the categorical code, in nats
 *     (at most log K), on the generator step's batch; null for other GANs
 */
public record StepResult(float generatorLoss, float discriminatorLoss, Float wassersteinEstimate, Float gradientPenalty,
                         Float mutualInformation) {

    public StepResult(float generatorLoss, float discriminatorLoss, Float wassersteinEstimate, Float gradientPenalty) {
        this(generatorLoss, discriminatorLoss, wassersteinEstimate, gradientPenalty, null);
    }

    public StepResult(float generatorLoss, float discriminatorLoss) {
        this(generatorLoss, discriminatorLoss, null, null);
    }

    @JsonIgnore // not a figure: stored jobs hold their latest StepResult
    public boolean isFinite() {
        return Float.isFinite(generatorLoss) && Float.isFinite(discriminatorLoss);
    }
}
