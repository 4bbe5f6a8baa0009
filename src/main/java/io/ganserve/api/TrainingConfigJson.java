package io.ganserve.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ganserve.registry.TrainingConfig;
import org.springframework.boot.jackson.JacksonMixin;

/**
 * How the API writes a job's configuration: the fields that only images use ({@code imageSize},
 * and {@code featureMaps}, DCGAN's width) are left out where they are 0, so a point job's view
 * does not show settings it never reads. Stored configurations keep every field (their own mapper).
 */
@JacksonMixin(TrainingConfig.class)
abstract class TrainingConfigJson {

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int featureMaps();

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int imageSize();
}
