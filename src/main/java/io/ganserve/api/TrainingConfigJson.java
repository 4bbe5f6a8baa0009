package io.ganserve.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ganserve.registry.TrainingConfig;
import org.springframework.boot.jackson.JacksonMixin;

/**
 * How the API writes a job's configuration: the fields that only images use ({@code imageSize},
 * and {@code featureMaps}, DCGAN's width) are left out where they are 0, so a point job's view
 * does not show settings it never reads; so are the noise and MLP sizes of a translator, the MLP
 * sizes of a semi-supervised job, and the translation and semi-supervised plans of the jobs of
 * other kinds. Stored configurations keep every field (their own mapper).
 */
@JacksonMixin(TrainingConfig.class)
abstract class TrainingConfigJson {

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int featureMaps();

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int imageSize();

    // a translator (architecture cyclegan) has no noise input and no MLP: 0 there, never 0 elsewhere
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int latentDim();

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int hiddenUnits();

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int hiddenLayers();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract io.ganserve.registry.TranslationPlan translation();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract io.ganserve.registry.SemiSupervisedPlan semiSupervised();
}
