package io.ganserve.jobs;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The {@code cycleGan} part of a job request; omitted fields take the defaults in docs/translation.md. */
@Schema(description = "CycleGAN networks and loss weights (Zhu et al.); only with architecture cyclegan")
public record CycleGanRequest(
        @Schema(description = "feature maps of each generator's first layer (2x and 4x after each down level); default 16")
        @Min(4) @Max(64) Integer generatorFilters,
        @Schema(description = "residual blocks at the generators' lowest resolution; default 4")
        @Min(0) @Max(9) Integer residualBlocks,
        @Schema(description = "feature maps of each PatchGAN critic's first layer; default 32")
        @Min(4) @Max(128) Integer criticFilters,
        @Schema(description = "λ on the cycle-consistency L1; default 10")
        @DecimalMin("0") @DecimalMax("100") Float cycleWeight,
        @Schema(description = "identity L1's weight as a share of λ; default 0.5")
        @DecimalMin("0") @DecimalMax("10") Float identityWeight,
        @Schema(description = "generated images each critic's history holds; default 50")
        @Min(0) @Max(200) Integer poolSize) {}
