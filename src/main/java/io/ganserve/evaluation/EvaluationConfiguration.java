package io.ganserve.evaluation;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.ModelRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class EvaluationConfiguration {

    /** Scores generators; its feature networks are kept in the registry's {@code evaluation/} folder. */
    @Bean(destroyMethod = "close")
    Evaluator evaluator(DatasetCatalog catalog, ModelRegistry registry, NDManager engineManager) {
        return new Evaluator(catalog, registry.evaluationDir(), engineManager,
                GradientCollectors.lock(), ClassifierSettings.DEFAULTS);
    }
}
