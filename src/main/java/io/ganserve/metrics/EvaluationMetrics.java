package io.ganserve.metrics;

import io.ganserve.registry.Metric;
import io.ganserve.registry.Evaluation;
import io.ganserve.jobs.Job;
import io.ganserve.jobs.JobListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The latest scores of each evaluated job as {@code gan_evaluation_score{job_id, dataset, metric}},
 * kept after the job ends (operators compare finished models), for the most recent
 * {@value #JOBS_KEPT} jobs so the series count stays bounded; and how long evaluations take.
 */
@Component
public class EvaluationMetrics implements JobListener {

    static final int JOBS_KEPT = 20;

    private final MeterRegistry registry;
    /** job id -> metric -> latest value; insertion order is age, oldest first. */
    private final Map<String, Map<Metric, Double>> scores = new LinkedHashMap<>();
    private final Map<String, List<Meter>> meters = new LinkedHashMap<>();

    public EvaluationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public synchronized void evaluationFinished(Job job, Evaluation evaluation) {
        if (evaluation.requestedAt() != null && evaluation.finishedAt() != null) {
            Timer.builder("gan.evaluation.duration")
                    .description("wall time of one evaluation, all scores")
                    .tag("dataset", job.config().dataset())
                    .tag("status", evaluation.status())
                    .register(registry)
                    .record(Duration.between(evaluation.requestedAt(), evaluation.finishedAt()));
        }
        if (evaluation.scores() == null) {
            return;
        }
        Map<Metric, Double> values = scores.computeIfAbsent(job.id(), k -> new LinkedHashMap<>());
        List<Meter> registered = meters.computeIfAbsent(job.id(), k -> new ArrayList<>());
        for (Metric metric : Metric.values()) {
            Double value = evaluation.scores().value(metric);
            if (value == null) {
                continue;
            }
            if (values.put(metric, value) == null) {
                String id = job.id();
                registered.add(Gauge.builder("gan.evaluation.score", this, m -> m.value(id, metric))
                        .description("latest evaluation score of a job's generator (fd, is, precision, recall, "
                                + "parzen, modes, hq, kl)")
                        .tags(Tags.of("job_id", id, "dataset", job.config().dataset(), "metric", metric.id()))
                        .strongReference(true)
                        .register(registry));
            }
        }
        while (scores.size() > JOBS_KEPT) {
            String oldest = scores.keySet().iterator().next();
            scores.remove(oldest);
            meters.remove(oldest).forEach(registry::remove);
        }
    }

    private synchronized double value(String jobId, Metric metric) {
        Map<Metric, Double> values = scores.get(jobId);
        Double v = values == null ? null : values.get(metric);
        return v == null ? Double.NaN : v;
    }
}
