package io.ganserve.sampling;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.training.ModelRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SamplingConfiguration {

    @Bean(destroyMethod = "close")
    ServingModels servingModels(ModelRegistry registry, NDManager engineManager, SamplingProperties properties,
                                ObjectProvider<SamplingEvents> events) {
        ServingModels models = new ServingModels(registry, engineManager, properties.cachedModels(),
                events.getIfAvailable(() -> SamplingEvents.NONE));
        models.loadLatestFromRegistry();
        return models;
    }

    @Bean
    SampleRenderer sampleRenderer(DatasetCatalog catalog, SamplingProperties properties) {
        return new SampleRenderer(catalog, properties.tileScale());
    }

    @Bean
    SampleService sampleService(ServingModels models, ObjectProvider<SamplingEvents> events) {
        return new SampleService(models, events.getIfAvailable(() -> SamplingEvents.NONE));
    }
}
