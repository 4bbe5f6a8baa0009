package io.ganserve.metrics;

import io.ganserve.jobs.Job;
import io.ganserve.jobs.JobListener;
import io.ganserve.training.StepResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Per-job training gauges (tagged job_id, dataset, loss: not {@code job}, which Prometheus itself sets on every
 * scraped series), registered when a job starts and removed
 * when it ends so the series count stays bounded by the jobs running; checkpoint and job-duration
 * timers tagged only by dataset and status.
 */
@Component
public class TrainingMetrics implements JobListener {

    private final MeterRegistry registry;
    private final Map<String, Job> latest = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final Map<String, Long> checkpointBytes = new ConcurrentHashMap<>();

    public TrainingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void jobStarted(Job job) {
        // The replay counter exists at 0 from a data set's first job on, so that increase() and
        // rate() see its first replay (a counter that appears at 1 hides it) and the dashboard's
        // panel has a series to show before anything went wrong.
        registry.counter("gan.training.divergence.replays", "dataset", job.config().dataset());
        latest.put(job.id(), job);
        Tags tags = tags(job);
        String id = job.id();
        meters.computeIfAbsent(id, k -> List.of(
                gauge("gan.training.generator.loss", "generator loss of the latest step", tags, id,
                        latest(StepResult::generatorLoss)),
                gauge("gan.training.discriminator.loss", "discriminator loss of the latest step", tags, id,
                        latest(StepResult::discriminatorLoss)),
                gauge("gan.training.step", "generator steps done", tags, id, j -> j.progress().step()),
                gauge("gan.training.epoch", "passes over the training data", tags, id, j -> j.progress().epoch()),
                gauge("gan.training.samples.per.second", "training throughput, images or points per second", tags, id,
                        j -> j.progress().samplesPerSecond()),
                gauge("gan.training.seconds.per.step", "wall time of one generator step", tags, id,
                        j -> j.progress().secondsPerStep()),
                gauge("gan.training.wasserstein.estimate", "the critic's Wasserstein-1 estimate (wgan, wgan-gp)", tags, id,
                        latest(StepResult::wassersteinEstimate)),
                gauge("gan.training.gradient.penalty", "the latest gradient-penalty term (wgan-gp)", tags, id,
                        latest(StepResult::gradientPenalty)),
                gauge("gan.training.mutual.information", "InfoGAN's lower bound on I(c1; G(z, c)) in nats", tags, id,
                        latest(StepResult::mutualInformation)),
                gauge("gan.checkpoint.size", "size of the newest checkpoint", "bytes", tags, id,
                        j -> checkpointBytes.getOrDefault(j.id(), 0L))));
    }

    @Override
    public void stepCompleted(Job job) {
        latest.put(job.id(), job);
    }

    @Override
    public void checkpointWritten(Job job, long bytes, Duration took) {
        checkpointBytes.put(job.id(), bytes);
        Timer.builder("gan.checkpoint.write")
                .description("time to write and sync one checkpoint")
                .tag("dataset", job.config().dataset())
                .register(registry)
                .record(took);
    }

    @Override
    public void divergenceReplayed(Job job, long step, long fromStep) {
        registry.counter("gan.training.divergence.replays", "dataset", job.config().dataset()).increment();
    }

    @Override
    public void jobFinished(Job job) {
        Job.Timeline times = job.times();
        if (times.startedAt() != null && times.finishedAt() != null) {
            Timer.builder("gan.job.duration")
                    .description("wall time from a job's start to its end")
                    .tag("status", job.status().name())
                    .register(registry)
                    .record(Duration.between(times.startedAt(), times.finishedAt()));
        }
        List<Meter> gone = meters.remove(job.id());
        if (gone != null) {
            gone.forEach(registry::remove);
        }
        latest.remove(job.id());
        checkpointBytes.remove(job.id());
    }

    /** A figure of the job's latest step; NaN before the first, or where its GAN has no such figure. */
    private static ToDoubleFunction<Job> latest(Function<StepResult, ? extends Number> figure) {
        return j -> {
            Number value = j.losses() == null ? null : figure.apply(j.losses());
            return value == null ? Double.NaN : value.doubleValue();
        };
    }

    private Meter gauge(String name, String description, Tags tags, String id, ToDoubleFunction<Job> value) {
        return gauge(name, description, null, tags, id, value);
    }

    private Meter gauge(String name, String description, String unit, Tags tags, String id, ToDoubleFunction<Job> value) {
        return Gauge.builder(name, latest, m -> {
                    Job j = m.get(id);
                    return j == null ? Double.NaN : value.applyAsDouble(j);
                })
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .register(registry);
    }

    private static Tags tags(Job job) {
        return Tags.of("job_id", job.id(), "dataset", job.config().dataset(), "loss", job.config().loss().id());
    }
}
