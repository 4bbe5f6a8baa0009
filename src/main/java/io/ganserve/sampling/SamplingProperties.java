package io.ganserve.sampling;

import io.ganserve.engine.precision.PrecisionChoice;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.sampling.*}.
 *
 * @param maxSamples the largest {@code n} one request may ask for
 * @param maxSteps the longest interpolation strip
 * @param maxRows the most interpolation strips in one image
 * @param cachedModels generators other than the latest kept loaded for {@code job=} requests
 * @param tileScale integer upscaling of each image tile in PNG grids
 * @param refreshInterval how often serving looks in the registry for a generator that another
 *     instance finished, so servers pick it up without a restart
 * @param batchWindow how long a generator pass waits for concurrent requests for the same model to
 *     join it (only while others are in flight; 0: only those already queued join)
 * @param batchQueue requests that may wait for one model's passes before the next is answered 503
 * @param precision what served generators' convolutions and products multiply in: {@code auto}
 *     (bfloat16 for convolutional generators on a device with native bfloat16, else float32),
 *     {@code float32} or {@code bfloat16}; see {@link ServingPrecision}
 */
@Validated
@ConfigurationProperties("ganserve.sampling")
public record SamplingProperties(
        @DefaultValue("1024") @Min(1) @Max(65536) int maxSamples,
        @DefaultValue("64") @Min(2) int maxSteps,
        @DefaultValue("16") @Min(1) int maxRows,
        @DefaultValue("4") @Min(1) int cachedModels,
        @DefaultValue("2") @Min(1) @Max(8) int tileScale,
        @DefaultValue("5s") Duration refreshInterval,
        @DefaultValue("2ms") Duration batchWindow,
        @DefaultValue("256") @Min(1) int batchQueue,
        @DefaultValue("auto") PrecisionChoice precision) {

    public Batching batching() {
        return new Batching(batchWindow, batchQueue, GeneratorSnapshot.CHUNK);
    }
}
