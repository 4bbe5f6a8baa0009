package io.ganserve.jobs;

import io.ganserve.registry.ModelRegistry;
import ai.djl.ndarray.NDManager;
import io.ganserve.Roles;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.registry.ModelInfo;
import io.ganserve.sampling.ServingModels;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Lazy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import io.ganserve.engine.DiskSpace;
import io.ganserve.engine.EngineInfo;
import io.ganserve.engine.EngineProperties;
import io.ganserve.engine.precision.Bf16Support;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.engine.ResourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

@Configuration(proxyBeanMethods = false)
/** The job service, its store and registry, job evaluations, and what hands finished generators to serving. */
public class JobsConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JobsConfiguration.class);

    @Bean
    ModelRegistry modelRegistry(TrainingProperties properties) {
        return new ModelRegistry(properties.dataDir(), properties.keepCheckpoints());
    }

    @Bean
    JobStore jobStore(DataSource dataSource) {
        return new JdbcJobStore(dataSource);
    }

    /** The service default and this host's bfloat16 hardware, which jobs' and encoders' precisions resolve against. */
    @Bean
    PrecisionDefaults precisionDefaults(EngineProperties engine, EngineInfo info) {
        Bf16Support hardware = Bf16Support.detect();
        log.info("precision: default {}; native bfloat16 on {}: {}", engine.precision().wireName(), info.device(),
                hardware.isNative(info.device()));
        return PrecisionDefaults.of(engine.precision(), hardware, info.device());
    }

    @Bean(destroyMethod = "close")
    JobService jobService(JobStore store, ModelRegistry registry, DatasetCatalog catalog,
                          TrainingProperties properties, Roles roles, List<JobListener> listeners,
                          NDManager engineManager, Evaluator evaluator, ResourceBudgets budgets,
                          ResourceProperties resources, PrecisionDefaults precision,
                          @Value("${server.port:8080}") int port) {
        return new JobService(store, registry, catalog, properties, workerId(properties, port), roles.training(),
                JobListener.all(listeners), engineManager, Clock.systemUTC(), evaluator, budgets,
                new DiskSpace(resources.minFreeDisk().toBytes()), precision);
    }

    /** Stable across restarts of one instance on a fixed port, distinct between instances on one host. */
    private static String workerId(TrainingProperties properties, int port) {
        if (!properties.workerId().isBlank()) {
            return properties.workerId();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        // a random port (0) says nothing about which instance this is
        return host + ":" + (port == 0 ? java.util.UUID.randomUUID().toString().substring(0, 8) : port);
    }

    /**
     * The listeners come lazily: they include beans that themselves wait on the job service.
     * Evaluations an earlier process left RUNNING are failed once the job store is migrated (ready).
     */
    @Bean(destroyMethod = "close")
    JobEvaluations jobEvaluations(JobService jobs, ServingModels models, ModelRegistry registry, Evaluator evaluator,
                                  @Lazy List<JobListener> listeners, EvaluationProperties properties,
                                  ResourceBudgets budgets) {
        return new JobEvaluations(jobs, models, registry, evaluator, JobListener.all(listeners), Clock.systemUTC(),
                properties.queueCapacity(), budgets);
    }

    @EventListener(ApplicationReadyEvent.class)
    void failInterruptedEvaluations(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(JobEvaluations.class).failInterrupted();
    }

    /** A server swaps in each generator this instance finishes at once; a trainer leaves them to the servers. */
    @Bean
    @ConditionalOnBooleanProperty(name = Roles.SERVING, matchIfMissing = true)
    JobListener servingModelsListener(ServingModels models) {
        return new JobListener() {
            @Override
            public void modelReady(ModelInfo model) {
                models.modelReady(model);
            }
        };
    }

    /**
     * Model deletion, the pin and retention. Its listeners come lazily (the job service's own wait on
     * beans that wait on it); retention is applied once at start, after serving has loaded its default model.
     */
    @Bean(destroyMethod = "close")
    ModelLifecycle modelLifecycle(JobService jobs, ModelRegistry registry, ServingModels models,
                                  RetentionProperties retention, @Lazy List<JobListener> listeners) {
        return new ModelLifecycle(jobs, registry, models, retention, JobListener.all(listeners));
    }

    /** Retention after each job; the lifecycle comes lazily, as it tells the listeners of deletions. */
    @Bean
    JobListener retentionListener(org.springframework.beans.factory.ObjectProvider<ModelLifecycle> lifecycle) {
        return new JobListener() {
            @Override
            public void jobFinished(Job job) {
                lifecycle.getObject().applyRetentionLater();
            }
        };
    }

    @EventListener(ApplicationReadyEvent.class)
    void applyRetentionAtStart(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(ModelLifecycle.class).applyRetentionLater();
    }

    /** Starts claiming jobs once the service can answer about them. */
    @Bean
    JobWorkersStarter jobWorkersStarter(JobService jobs) {
        return new JobWorkersStarter(jobs);
    }

    static final class JobWorkersStarter {
        private final JobService jobs;

        JobWorkersStarter(JobService jobs) {
            this.jobs = jobs;
        }

        @EventListener(ApplicationReadyEvent.class)
        void onReady() {
            jobs.start();
        }
    }
}
