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

    /** Runs wait behind the one training; more are refused with 429 rather than piled up. */
    static final int QUEUE_CAPACITY = 4;

    @Bean(destroyMethod = "close")
    EncoderTrainings encoderTrainings(JobService jobs, ServingModels models, ModelRegistry registry,
                                      NDManager engineManager, ResourceBudgets budgets) {
        return new EncoderTrainings(jobs, models, registry, engineManager, budgets, Clock.systemUTC(), QUEUE_CAPACITY);
    }
}
