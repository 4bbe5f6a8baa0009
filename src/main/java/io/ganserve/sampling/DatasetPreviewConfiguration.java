package io.ganserve.sampling;

import io.ganserve.data.DatasetCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Pictures of the datasets themselves, for the console's dataset pages. */
@Configuration(proxyBeanMethods = false)
class DatasetPreviewConfiguration {

    @Bean
    DatasetPreview datasetPreview(DatasetCatalog catalog, io.ganserve.data.DatasetLibrary library,
                                  io.ganserve.engine.ResourceBudgets budgets, SamplingProperties properties) {
        return new DatasetPreview(catalog, library, budgets, properties.tileScale());
    }
}
