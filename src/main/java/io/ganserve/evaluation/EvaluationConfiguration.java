package io.ganserve.evaluation;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.sampling.ServingModels;
import io.ganserve.training.GradientCollectors;
import io.ganserve.training.JobListener;
import io.ganserve.training.JobService;
import io.ganserve.training.ModelRegistry;
import io.ganserve.training.TrainingProperties;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;

@Configuration(proxyBeanMethods = false)
public class EvaluationConfiguration {

    /** Scores generators; its feature networks are kept in the registry's {@code evaluation/} folder. */
    @Bean(destroyMethod = "close")
    Evaluator evaluator(DatasetCatalog catalog, TrainingProperties properties, NDManager engineManager) {
        return new Evaluator(catalog, properties.dataDir().resolve("evaluation"), engineManager,
                GradientCollectors.lock(), ClassifierSettings.DEFAULTS);
    }

    /**
     * The listeners come lazily: they include beans that themselves wait on the job service.
     * Evaluations an earlier process left RUNNING are failed once the job store is migrated (ready).
     */
    @Bean(destroyMethod = "close")
    JobEvaluations jobEvaluations(JobService jobs, ServingModels models, ModelRegistry registry, Evaluator evaluator,
                                  @Lazy List<JobListener> listeners, EvaluationProperties properties,
                                  io.ganserve.engine.ResourceBudgets budgets) {
        return new JobEvaluations(jobs, models, registry, evaluator, JobListener.all(listeners), Clock.systemUTC(),
                properties.queueCapacity(), budgets);
    }

    @EventListener(ApplicationReadyEvent.class)
    void failInterruptedEvaluations(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(JobEvaluations.class).failInterrupted();
    }
}
