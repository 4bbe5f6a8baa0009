package io.ganserve.training;

import ai.djl.ndarray.NDManager;
import io.ganserve.Roles;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.evaluation.Evaluator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import io.ganserve.engine.DiskSpace;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.engine.ResourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

@Configuration(proxyBeanMethods = false)
public class TrainingConfiguration {

    @Bean
    ModelRegistry modelRegistry(TrainingProperties properties) {
        return new ModelRegistry(properties.dataDir(), properties.keepCheckpoints());
    }

    @Bean
    JobStore jobStore(DataSource dataSource) {
        return new JdbcJobStore(dataSource);
    }

    @Bean(destroyMethod = "close")
    JobService jobService(JobStore store, ModelRegistry registry, DatasetCatalog catalog,
                          TrainingProperties properties, Roles roles, List<JobListener> listeners,
                          NDManager engineManager, Evaluator evaluator, ResourceBudgets budgets,
                          ResourceProperties resources, @Value("${server.port:8080}") int port) {
        return new JobService(store, registry, catalog, properties, workerId(properties, port), roles.training(),
                JobListener.all(listeners), engineManager, Clock.systemUTC(), evaluator, budgets,
                new DiskSpace(resources.minFreeDisk().toBytes()));
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
