package io.ganserve.training;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.evaluation.Evaluator;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

@Configuration(proxyBeanMethods = false)
public class TrainingConfiguration {

    @Bean
    ModelRegistry modelRegistry(TrainingProperties properties) {
        return new ModelRegistry(properties.dataDir(), properties.keepCheckpoints());
    }

    @Bean(destroyMethod = "close")
    JobService jobService(ModelRegistry registry, DatasetCatalog catalog, TrainingProperties properties,
                          List<JobListener> listeners, NDManager engineManager, Evaluator evaluator) {
        return new JobService(registry, catalog, properties, JobListener.all(listeners), engineManager,
                Clock.systemUTC(), evaluator);
    }

    /** Resumes interrupted jobs once the service can answer about them. */
    @Bean
    JobRecovery jobRecovery(JobService jobs) {
        return new JobRecovery(jobs);
    }

    static final class JobRecovery {
        private final JobService jobs;

        JobRecovery(JobService jobs) {
            this.jobs = jobs;
        }

        @EventListener(ApplicationReadyEvent.class)
        void onReady() {
            jobs.recover();
        }
    }
}
