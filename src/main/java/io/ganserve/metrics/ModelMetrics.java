package io.ganserve.metrics;

import io.ganserve.jobs.JobListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Models deleted, by why: a request, the retention count, or the registry's quota. */
@Component
public class ModelMetrics implements JobListener {

    private final MeterRegistry registry;

    public ModelMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String reason : new String[] {"request", "retention", "quota"}) {
            deleted(reason); // present at 0 from the start, so rate() sees the first deletion
        }
        freed().increment(0);
    }

    private Counter deleted(String reason) {
        return Counter.builder("gan.models.deleted").description("models deleted with their job's files")
                .tag("reason", reason).register(registry);
    }

    @Override
    public void modelDeleted(String jobId, String reason, long freedBytes) {
        deleted(reason).increment();
        freed().increment(freedBytes);
    }

    private Counter freed() {
        return Counter.builder("gan.models.deleted.freed").description("bytes freed by deleting models")
                .baseUnit("bytes").register(registry);
    }
}
