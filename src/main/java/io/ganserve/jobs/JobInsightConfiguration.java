package io.ganserve.jobs;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.sampling.SampleRenderer;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the console reads beside the job itself, useful to API clients too: the training history and
 * progress grids kept with every job, and job requests resolved without queuing them.
 */
@Configuration(proxyBeanMethods = false)
class JobInsightConfiguration {

    @Bean
    TrainingHistoryRecorder trainingHistoryRecorder(
            ModelRegistry registry,
            @Value("${ganserve.training.history.max-points:1000}") int maxPoints,
            @Value("${ganserve.training.history.save-every:5s}") Duration saveEvery) {
        return new TrainingHistoryRecorder(registry, maxPoints, saveEvery, Clock.systemUTC());
    }

    @Bean
    ProgressGridRecorder progressGridRecorder(
            ModelRegistry registry, NDManager engineManager, SampleRenderer renderer,
            @Value("${ganserve.training.progress.max-grids:100}") int maxGrids) {
        return new ProgressGridRecorder(registry, engineManager, renderer, maxGrids);
    }

    @Bean
    TranslationGridRecorder translationGridRecorder(
            ModelRegistry registry, DatasetCatalog catalog, NDManager engineManager,
            @Value("${ganserve.training.progress.max-grids:100}") int maxGrids) {
        return new TranslationGridRecorder(registry, catalog, engineManager, maxGrids);
    }

    @Bean
    JobPreview jobPreview(DatasetCatalog catalog, PrecisionDefaults precision) {
        return new JobPreview(catalog, precision);
    }
}
