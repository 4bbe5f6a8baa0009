package io.ganserve.metrics;

import io.ganserve.engine.EngineInfo;
import io.ganserve.sampling.ServingModels;
import io.ganserve.registry.ModelInfo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Up once the engine is loaded (this bean cannot exist before it); says which engine, which device,
 * and which generator serving holds. Part of the readiness group.
 */
@Component("engine")
public class EngineHealthIndicator implements HealthIndicator {

    private final EngineInfo engine;
    private final ServingModels serving;

    public EngineHealthIndicator(EngineInfo engine, ServingModels serving) {
        this.engine = engine;
        this.serving = serving;
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("engine", engine.name() + " " + engine.version())
                .withDetail("device", engine.device().toString())
                .withDetail("generatorLoaded", serving.latestModel().isPresent())
                .withDetail("servedModel", serving.latestModel().map(ModelInfo::jobId).orElse("none"))
                .build();
    }
}
