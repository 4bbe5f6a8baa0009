package io.ganserve.metrics;

import io.ganserve.sampling.SamplingEvents;
import io.ganserve.sampling.ServingModels;
import io.ganserve.registry.ModelInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Samples generated, generator (re)loads, and how old the served model is. */
@Component
public class SamplingMetrics implements SamplingEvents {

    private final Counter samples;
    private final Counter loads;
    private final DistributionSummary batchRequests;
    private final DistributionSummary batchSamples;
    private final io.micrometer.core.instrument.MultiGauge defaultModel;
    private volatile boolean pinned;

    public SamplingMetrics(MeterRegistry registry, ObjectProvider<ServingModels> serving) {
        this.samples = Counter.builder("gan.sampling.samples").description("samples generated for requests")
                .register(registry);
        this.loads = Counter.builder("gan.sampling.model.loads").description("generators read from disk into memory")
                .register(registry);
        this.batchRequests = DistributionSummary.builder("gan.sampling.batch.requests")
                .description("requests whose generator passes ran together in one forward").register(registry);
        this.batchSamples = DistributionSummary.builder("gan.sampling.batch.samples")
                .description("samples in one batched generator forward").register(registry);
        Clock clock = Clock.systemUTC();
        // serving is looked up lazily: it reports to this bean, so it cannot be built before it
        Gauge.builder("gan.sampling.model.age", serving, s -> s.getObject().latestModel()
                        .map(ModelInfo::createdAt)
                        .map(created -> (double) Duration.between(created, clock.instant()).toMillis() / 1000)
                        .orElse(Double.NaN))
                .description("age of the generator served by default")
                .strongReference(true) // Micrometer holds gauge targets weakly; the provider is referenced nowhere else
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("gan.sampling.model.pinned", this, m -> m.pinned ? 1 : 0)
                .description("1 while an operator pinned the default served model, 0 while the newest is served")
                .register(registry);
        this.defaultModel = io.micrometer.core.instrument.MultiGauge.builder("gan.sampling.model.default")
                .description("the generator served by default: one series, 1, labelled with its model (the job id) and whether it is pinned")
                .register(registry);
    }

    @Override
    public void samplesDrawn(int count) {
        samples.increment(count);
    }

    @Override
    public void batchRun(int requests, int samples) {
        batchRequests.record(requests);
        batchSamples.record(samples);
    }

    @Override
    public void modelLoaded(ModelInfo model, long step) {
        loads.increment();
    }

    @Override
    public void defaultModelChanged(ModelInfo model, boolean pinned) {
        this.pinned = pinned;
        // overwrite: the series of the model no longer served goes, so a query never sees two defaults
        defaultModel.register(model == null ? java.util.List.of() : java.util.List.of(
                io.micrometer.core.instrument.MultiGauge.Row.of(io.micrometer.core.instrument.Tags.of(
                        "model", model.jobId(), "pinned", Boolean.toString(pinned)), 1)), true);
    }
}
