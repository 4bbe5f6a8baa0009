package io.ganserve.jobs;

import ai.djl.ndarray.NDManager;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.sampling.ServingModels;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Encoder runs for finished jobs (learned inference, docs/inference.md). */
@Configuration(proxyBeanMethods = false)
public class EncoderConfiguration {

    @Bean(destroyMethod = "close")
    EncoderTrainings encoderTrainings(JobService jobs, ServingModels models, ModelRegistry registry,
                                      NDManager engineManager, ResourceBudgets budgets, EncoderProperties properties,
                                      PrecisionDefaults precision) {
        return new EncoderTrainings(jobs, models, registry, engineManager, budgets, Clock.systemUTC(),
                properties.queueCapacity(), precision);
    }
}
