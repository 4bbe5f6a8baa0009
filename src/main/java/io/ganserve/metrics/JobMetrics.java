package io.ganserve.metrics;

import io.ganserve.jobs.JobService;
import io.ganserve.jobs.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** How many jobs are in each state, and how many wait. */
@Component
public class JobMetrics {

    public JobMetrics(MeterRegistry registry, JobService jobs) {
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("gan.jobs", jobs, j -> j.count(status))
                    .description("jobs by status")
                    .tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("gan.jobs.queue.length", jobs, j -> j.count(JobStatus.QUEUED))
                .description("jobs waiting for a training thread")
                .register(registry);
    }
}
