package io.ganserve.sampling;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.training.ModelRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SamplingConfiguration {

    @Bean(destroyMethod = "close")
    ServingModels servingModels(ModelRegistry registry, NDManager engineManager, SamplingProperties properties) {
        ServingModels models = new ServingModels(registry, engineManager, properties.cachedModels());
        models.loadLatestFromRegistry();
        return models;
    }

    @Bean
    SampleRenderer sampleRenderer(DatasetCatalog catalog, SamplingProperties properties) {
        return new SampleRenderer(catalog, properties.tileScale());
    }

    @Bean
    SampleService sampleService(ServingModels models) {
        return new SampleService(models);
    }
}
