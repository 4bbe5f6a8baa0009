package io.ganserve.inversion;

import ai.djl.ndarray.NDManager;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.sampling.ServingModels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class InversionConfiguration {

    @Bean(destroyMethod = "close")
    InversionService inversionService(ServingModels models, ModelRegistry registry, Evaluator evaluator,
                                      ResourceBudgets budgets, NDManager engineManager, InversionProperties properties) {
        return new InversionService(models, registry, evaluator, budgets, engineManager, properties);
    }

    @Bean(destroyMethod = "close")
    TranslationService translationService(ModelRegistry registry, io.ganserve.data.DatasetCatalog catalog,
                                          ResourceBudgets budgets, NDManager engineManager,
                                          InversionProperties properties) {
        return new TranslationService(registry, catalog, budgets, engineManager, properties);
    }

    @Bean(destroyMethod = "close")
    ClassificationService classificationService(ModelRegistry registry, io.ganserve.data.DatasetCatalog catalog,
                                                ResourceBudgets budgets, NDManager engineManager,
                                                InversionProperties properties) {
        return new ClassificationService(registry, catalog, budgets, engineManager, properties);
    }
}
