package io.ganserve.sampling;

import ai.djl.ndarray.NDManager;
import io.ganserve.Roles;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.registry.ModelRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.ganserve.engine.EngineInfo;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.engine.precision.Bf16Support;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SamplingConfiguration {

    @Bean(destroyMethod = "close")
    ServingModels servingModels(ModelRegistry registry, NDManager engineManager, SamplingProperties properties,
                                ObjectProvider<SamplingEvents> events, ResourceBudgets budgets, EngineInfo engine) {
        ServingPrecision precision = new ServingPrecision(properties.precision(),
                Bf16Support.detect().isNative(engine.device()));
        LoggerFactory.getLogger(ServingModels.class).info("serving precision: {}; native bfloat16 on {}: {}",
                precision.choice().wireName(), engine.device(), precision.nativeBf16());
        return new ServingModels(registry, engineManager, properties.cachedModels(),
                events.getIfAvailable(() -> SamplingEvents.NONE), budgets, properties.batching(), precision);
    }

    /** A server loads the newest generator at start and then watches the shared registry for newer ones. */
    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty(name = Roles.SERVING, matchIfMissing = true)
    RegistryWatch registryWatch(ServingModels models, SamplingProperties properties) {
        models.refreshFromRegistry();
        return new RegistryWatch(models, properties.refreshInterval().toMillis());
    }

    @Bean
    SampleRenderer sampleRenderer(DatasetCatalog catalog, SamplingProperties properties) {
        return new SampleRenderer(catalog, properties.tileScale());
    }

    @Bean
    SampleService sampleService(ServingModels models, ObjectProvider<SamplingEvents> events, ResourceBudgets budgets,
                                SamplingProperties properties) {
        return new SampleService(models, events.getIfAvailable(() -> SamplingEvents.NONE), budgets,
                properties.tileScale());
    }

    static final class RegistryWatch implements AutoCloseable {
        private static final Logger log = LoggerFactory.getLogger(RegistryWatch.class);
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gan-registry-watch");
            t.setDaemon(true);
            return t;
        });

        RegistryWatch(ServingModels models, long everyMillis) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    models.refreshFromRegistry();
                } catch (RuntimeException e) {
                    // a model half-visible on a network volume is read again at the next look
                    log.warn("cannot refresh the served generator: {}", e.toString());
                }
            }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
