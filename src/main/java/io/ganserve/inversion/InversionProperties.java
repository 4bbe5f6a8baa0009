package io.ganserve.inversion;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.inversion.*}: projection, morphs and inpainting (docs/inference.md).
 *
 * @param maxUploadBytes one uploaded image or mask, as sent
 * @param defaultSteps Adam steps on z when a request names none
 * @param maxSteps the most steps a request may ask for
 * @param learningRate Adam's step size on z
 * @param featureWeight weight of the feature network's squared distance beside the pixels' (0: pixels alone)
 */
@Validated
@ConfigurationProperties("ganserve.inversion")
public record InversionProperties(
        @DefaultValue("1MB") DataSize maxUploadBytes,
        @DefaultValue("100") @Min(0) @Max(10_000) int defaultSteps,
        @DefaultValue("500") @Min(0) @Max(10_000) int maxSteps,
        @DefaultValue("0.05") @DecimalMin(value = "0", inclusive = false) float learningRate,
        @DefaultValue("0.02") @DecimalMin("0") float featureWeight) {}
