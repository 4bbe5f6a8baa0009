package io.ganserve.data;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class DataConfiguration {

    @Bean
    DatasetCatalog datasetCatalog(DatasetProperties properties) {
        return new DatasetCatalog(properties.locations());
    }
}
