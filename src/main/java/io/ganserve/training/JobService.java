package io.ganserve.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.data.DatasetInfo;
import io.ganserve.data.DatasetUnavailableException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts, schedules, tracks and cancels training jobs. Jobs run in submission order on a bounded
 * pool of training threads, never on the caller's thread; their records outlive the process, and
 * jobs that were queued or running when it stopped resume from their last checkpoint on the next start.
 */
public final class JobService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final TrainingProperties properties;
    private final JobListener listener;
    private final Clock clock;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final TrainingRun trainingRun;
    private volatile boolean shuttingDown;

    public JobService(ModelRegistry registry, DatasetCatalog catalog, TrainingProperties properties,
                      JobListener listener, NDManager engineManager, Clock clock) {
        this(registry, catalog, properties, listener, engineManager, clock, null);
    }

    /** @param evaluator scores runs as their plans ask; null scores nothing */
    public JobService(ModelRegistry registry, DatasetCatalog catalog, TrainingProperties properties,
                      JobListener listener, NDManager engineManager, Clock clock, Evaluator evaluator) {
        this.registry = registry;
        this.catalog = catalog;
        this.properties = properties;
        this.listener = listener;
        this.clock = clock;
        this.trainingRun = new TrainingRun(registry, engineManager, GradientCollectors.lock(), clock, evaluator);
        AtomicInteger threadCount = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(properties.workers(), properties.workers(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "gan-trainer-" + threadCount.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Re-queues what a previous process left queued or running, oldest first. */
    public void recover() {
        registry.loadJobs().stream()
                .sorted(Comparator.comparing(Job::createdAt))
                .forEach(job -> {
                    if (job.status().isFinished()) {
                        jobs.put(job.id(), job);
                    } else {
                        Job requeued = job.requeued();
                        jobs.put(job.id(), requeued);
                        registry.saveJob(requeued);
                        log.info("job {} was {} when the service stopped; queued to resume from step {}",
                                job.id(), job.status(), job.checkpointStep());
                        workers.execute(() -> execute(job.id()));
                    }
                });
    }

    public Job submit(JobRequest request) {
        DatasetInfo dataset;
        try {
            dataset = catalog.describe(request.dataset());
        } catch (DatasetUnavailableException | IllegalArgumentException e) {
            throw new InvalidJobException("dataset", e.getMessage());
        }
        TrainingConfig config = JobDefaults.resolve(request, dataset.kind(), nativeImageSize(dataset));
        JobValidator.validate(config, dataset, Engine.getInstance().getGpuCount());
        synchronized (this) {
            long queued = jobs.values().stream().filter(j -> j.status() == JobStatus.QUEUED).count();
            if (queued >= properties.queueCapacity()) {
                throw new QueueFullException(properties.queueCapacity());
            }
            Job job = Job.queued(UUID.randomUUID().toString(), config, clock.instant());
            registry.saveJob(job);
            jobs.put(job.id(), job);
            workers.execute(() -> execute(job.id()));
            return job;
        }
    }

    /** The built-in image sets (MNIST, Fashion-MNIST) are 28 x 28; folders of images have no size of their own. */
    private int nativeImageSize(DatasetInfo dataset) {
        boolean builtinImages = dataset.kind() == io.ganserve.data.DataKind.IMAGES
                && catalog.builtinNames().contains(dataset.name());
        return builtinImages ? 28 : 0;
    }

    public Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public Job get(String id) {
        return find(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    /** Newest first. */
    public List<Job> list() {
        return jobs.values().stream()
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed())
                .toList();
    }

    public long count(JobStatus status) {
        return jobs.values().stream().filter(j -> j.status() == status).count();
    }

    /**
     * A queued job ends CANCELLED at once; a running one stops at its next step, checkpoints, and
     * then ends CANCELLED.
     */
    public synchronized Job cancel(String id) {
        Job job = get(id);
        return switch (job.status()) {
            case QUEUED -> {
                Job cancelled = update(id, j -> j.finished(JobStatus.CANCELLED, clock.instant(), null), true);
                listener.jobFinished(cancelled);
                yield cancelled;
            }
            case RUNNING -> {
                cancelRequested.add(id);
                yield job;
            }
            default -> throw new JobConflictException(
                    "job " + id + " has already finished (" + job.status() + "); only queued or running jobs can be cancelled");
        };
    }

    private void execute(String id) {
        synchronized (this) {
            Job job = jobs.get(id);
            if (job == null || job.status() != JobStatus.QUEUED || shuttingDown) {
                return;
            }
            update(id, j -> j.started(clock.instant(), j.checkpointStep(), j.epoch()), true);
        }
        prepareTrainingThread();
        try {
            Job job = jobs.get(id);
            TrainingConfig config = job.config();
            var dataset = catalog.load(config.dataset(), config.seed(), config.imageSize());
            TrainingRun.Outcome outcome = trainingRun.run(job, dataset, updateFor(id),
                    () -> shuttingDown || cancelRequested.contains(id), listener);
            if (outcome == TrainingRun.Outcome.COMPLETED) {
                listener.jobFinished(update(id, j -> j.finished(JobStatus.SUCCEEDED, clock.instant(), null), true));
            } else if (cancelRequested.contains(id)) {
                listener.jobFinished(update(id, j -> j.finished(JobStatus.CANCELLED, clock.instant(), null), true));
            } else {
                update(id, Job::requeued, true); // shutting down: the next start resumes it
            }
        } catch (RuntimeException | Error e) {
            log.warn("job {} failed", id, e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            listener.jobFinished(update(id, j -> j.finished(JobStatus.FAILED, clock.instant(), message), true));
        } finally {
            cancelRequested.remove(id);
        }
    }

    private TrainingRun.Progress updateFor(String id) {
        return (change, persist) -> update(id, change, persist);
    }

    private Job update(String id, UnaryOperator<Job> change, boolean persist) {
        Job updated = jobs.compute(id, (k, j) -> change.apply(j));
        if (persist) {
            registry.saveJob(updated);
        }
        return updated;
    }

    /** Grad mode is thread-local in libtorch; only collectors may turn it on here. */
    private static void prepareTrainingThread() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    /** Asks running jobs to checkpoint and stop; they stay queued on disk and resume on the next start. */
    @Override
    public void close() {
        shuttingDown = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("training threads did not stop within 60 s");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
