package io.ganserve.registry;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** Early stop: the run ends, as succeeded, at the first evaluation whose {@code metric} passes the bound. */
@Schema(description = "Stop training at the first evaluation where the metric is below (or above) the bound, "
        + "e.g. {\"metric\": \"fd\", \"below\": 5.0}")
public record StopCondition(
        @Schema(description = "fd, is, precision, recall, parzen, modes, hq or kl", example = "fd")
        @NotNull Metric metric,
        Double below,
        Double above) {

    public boolean isMetBy(Double value) {
        if (value == null || value.isNaN()) {
            return false;
        }
        return (below == null || value < below) && (above == null || value > above);
    }

    @Override
    public String toString() {
        return metric.id() + (below != null ? " < " + below : "") + (above != null ? " > " + above : "");
    }
}
