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
 * @param adversarialLoss a CycleGAN's generators' least-squares terms, both directions summed (the
 *     generator loss is the whole objective: these, the cycle and the identity terms); null for GANs
 * @param cycleLoss a CycleGAN's λ-weighted cycle-consistency L1, both directions summed; null for GANs
 * @param identityLoss a CycleGAN's weighted identity L1, both directions summed; null for GANs
 */
public record StepResult(float generatorLoss, float discriminatorLoss, Float wassersteinEstimate, Float gradientPenalty,
                         Float mutualInformation, Float adversarialLoss, Float cycleLoss, Float identityLoss) {

    public StepResult(float generatorLoss, float discriminatorLoss, Float wassersteinEstimate, Float gradientPenalty,
                      Float mutualInformation) {
        this(generatorLoss, discriminatorLoss, wassersteinEstimate, gradientPenalty, mutualInformation, null, null, null);
    }

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
