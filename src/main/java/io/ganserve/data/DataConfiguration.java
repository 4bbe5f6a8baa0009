package io.ganserve.data;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class DataConfiguration {

    @Bean
    DatasetCatalog datasetCatalog(DatasetProperties properties) {
        return new DatasetCatalog(properties.locations());
    }

    @Bean
    DatasetImporter datasetImporter(DatasetCatalog catalog, DatasetUploadProperties upload) {
        DatasetImporter importer = new DatasetImporter(catalog.imageFolderRoot(), upload.limits(), catalog.builtinNames(),
                Clock.systemUTC());
        importer.removeLeftovers();
        return importer;
    }

    @Bean
    DatasetLibrary datasetLibrary(DatasetCatalog catalog, DatasetImporter importer, DatasetProperties properties) {
        return new DatasetLibrary(catalog, importer, properties.pointCount());
    }
}
