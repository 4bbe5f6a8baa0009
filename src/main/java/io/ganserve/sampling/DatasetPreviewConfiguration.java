package io.ganserve.sampling;

import io.ganserve.data.DatasetCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Pictures of the datasets themselves, for the console's dataset pages. */
@Configuration(proxyBeanMethods = false)
class DatasetPreviewConfiguration {

    @Bean
    DatasetPreview datasetPreview(DatasetCatalog catalog, SamplingProperties properties) {
        return new DatasetPreview(catalog, properties.tileScale());
    }
}
