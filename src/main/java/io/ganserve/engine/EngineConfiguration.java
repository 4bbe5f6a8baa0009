package io.ganserve.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads DJL's PyTorch engine once at start (from the natives on the class path: DJL runs offline)
 * and owns the root native-memory manager every job and served model allocates under.
 */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    EngineInfo engineInfo(EngineProperties properties) {
        properties.applyToEngine();
        Engine engine = Engine.getEngine("PyTorch");
        Device device = switch (properties.device()) {
            case CPU -> Device.cpu();
            // CudaUtils can miss a GPU behind a versioned libcudart: asking for gpu means gpu(0).
            case GPU -> Device.gpu();
            case AUTO -> engine.defaultDevice();
        };
        EngineInfo info = new EngineInfo(engine.getEngineName(), engine.getVersion(), device,
                engine.getGpuCount());
        log.info("engine {} {} on {} ({} GPU(s) visible, {} intra-op threads)", info.name(), info.version(),
                info.device(), info.gpuCount(), properties.resolvedIntraOpThreads());
        return info;
    }

    @Bean
    ResourceBudgets resourceBudgets(ResourceProperties properties) {
        return new ResourceBudgets(properties);
    }

    @Bean(destroyMethod = "close")
    NDManager engineManager(EngineInfo info) {
        return NDManager.newBaseManager(info.device(), "PyTorch");
    }
}
