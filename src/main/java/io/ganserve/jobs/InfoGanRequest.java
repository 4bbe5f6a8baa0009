package io.ganserve.jobs;

import io.ganserve.registry.InfoGan;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Objects;

/** The {@code infoGan} part of a job request; omitted fields take the paper's values. */
@Schema(description = "InfoGAN latent codes (Chen et al.): G gets them beside the noise, D's Q head predicts them back. "
        + "Zero codes of both kinds turn InfoGAN off (point datasets use it by default)")
public record InfoGanRequest(
        @Schema(description = "values of the one categorical code (c1); 0 for none; default 10", example = "10")
        @Min(0) @Max(64) Integer categorical,
        @Schema(description = "continuous codes drawn from U(-1, 1), named after the categorical one; default 2", example = "2")
        @Min(0) @Max(16) Integer continuous,
        @Schema(description = "weight of the categorical code's mutual-information term; default 1")
        @DecimalMin("0") @DecimalMax("100") Float lambda,
        @Schema(description = "weight of the continuous codes' term; default 0.1")
        @DecimalMin("0") @DecimalMax("100") Float continuousLambda,
        @Schema(description = "point data: generator steps between checks that each value of the categorical code "
                + "owns a region of the data, moving one that shares a region onto data no value reaches; "
                + "0 (the default here) for none. The point default (no infoGan named) checks every 500")
        @Min(0) @Max(1_000_000) Integer ownershipEvery) {

    /** Without the ownership check: what a job that names its own codes gets unless it asks. */
    InfoGanRequest(Integer categorical, Integer continuous, Float lambda, Float continuousLambda) {
        this(categorical, continuous, lambda, continuousLambda, null);
    }

    InfoGan resolve() {
        if (Objects.equals(categorical, 0) && Objects.equals(continuous, 0)) {
            return InfoGan.OFF;
        }
        return new InfoGan(
                new io.ganserve.gan.LatentCodes(
                        java.util.Objects.requireNonNullElse(categorical, 10),
                        java.util.Objects.requireNonNullElse(continuous, 2)),
                java.util.Objects.requireNonNullElse(lambda, InfoGan.DEFAULT_LAMBDA),
                java.util.Objects.requireNonNullElse(continuousLambda, InfoGan.DEFAULT_CONTINUOUS_LAMBDA),
                java.util.Objects.requireNonNullElse(ownershipEvery, 0));
    }
}
