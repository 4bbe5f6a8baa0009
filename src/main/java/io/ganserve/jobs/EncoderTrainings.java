package io.ganserve.jobs;

import io.ganserve.engine.BudgetExceededException;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.gan.EncoderNetwork;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.EncoderRecord;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.sampling.GeneratorSnapshot;
import io.ganserve.sampling.ServingModels;
import io.ganserve.storage.InsufficientStorageException;
import io.ganserve.storage.OutOfSpace;
import io.ganserve.training.EncoderSettings;
import io.ganserve.training.EncoderTrainer;
import ai.djl.ndarray.NDManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoder runs (learned inference, {@code POST /jobs/{id}/encoder}): a sub-resource of a finished
 * job, trained in the background one at a time on a thread of their own, each under a memory
 * reservation priced by {@link JobCost#encoder} before it is accepted. The record and the weights
 * live in the job's folder beside its generator ({@link ModelRegistry#saveEncoder}), so every
 * instance sharing the data directory serves them. A run is short (about a minute for the default
 * 2,000 updates on DCGAN-28) and is not checkpointed: one that a restart interrupts is marked
 * FAILED when next read, and the client asks again.
 */
public final class EncoderTrainings implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EncoderTrainings.class);
    /** How long a queued run waits for memory that training and requests hold before it fails. */
    private static final Duration MEMORY_WAIT = Duration.ofMinutes(10);
    /** Updates between writes of the record's progress. */
    private static final int RECORD_EVERY = 100;

    private final JobService jobs;
    private final ServingModels models;
    private final ModelRegistry registry;
    private final NDManager engineManager;
    private final ResourceBudgets budgets;
    private final Clock clock;
    private final int queueCapacity;
    private final PrecisionDefaults precision;
    private final Instant startedAt;
    /** Jobs whose encoder this instance has accepted and not yet finished. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gan-encoder-trainer");
        t.setDaemon(true);
        return t;
    });

    /** @param precision what an encoder run's precision is resolved against (the service default, the hardware) */
    public EncoderTrainings(JobService jobs, ServingModels models, ModelRegistry registry, NDManager engineManager,
                            ResourceBudgets budgets, Clock clock, int queueCapacity, PrecisionDefaults precision) {
        this.jobs = jobs;
        this.models = models;
        this.registry = registry;
        this.engineManager = engineManager;
        this.budgets = budgets;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
        this.precision = precision;
        this.startedAt = clock.instant();
    }

    /** What a user may set; null fields take {@link EncoderSettings#DEFAULTS}, the seed the job's. */
    public record Request(Integer steps, Integer batchSize, Float learningRate, Long seed) {}

    /**
     * Queues an encoder run for job {@code jobId}'s final generator.
     *
     * @throws JobNotFoundException for an unknown job
     * @throws JobConflictException when the job has not SUCCEEDED, or its encoder is being trained
     * @throws InvalidJobException when its generator is of a kind the encoder cannot invert
     * @throws BudgetExceededException when the run can never fit the memory budget
     * @throws EncoderQueueFullException when {@code queueCapacity} runs already wait
     */
    public EncoderRecord request(String jobId, Request request) {
        Job job = jobs.get(jobId);
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new JobConflictException("job " + jobId + " is " + job.status() + ": an encoder is trained for a "
                    + "finished generator; ask again once the job has SUCCEEDED");
        }
        ModelInfo model = registry.model(jobId).orElseThrow(() -> new JobConflictException("job " + jobId
                + " has no final generator on disk to train an encoder for"));
        NetworkSpec spec = model.network();
        String unsupported = EncoderNetwork.unsupportedReason(spec);
        if (unsupported != null) {
            throw new InvalidJobException("generator", unsupported);
        }
        EncoderSettings settings = settings(request, job.config().seed()).withPrecision(precision.forEncoder());
        JobCost cost = JobCost.encoder(spec, settings.batchSize());
        if (!budgets.backgroundMemory().canEverFit(cost.memoryBytes())) {
            throw new BudgetExceededException("this encoder run (batch " + settings.batchSize() + ")",
                    budgets.backgroundMemory().name(), cost.memoryBytes(), budgets.backgroundMemory().capacityBytes());
        }
        if (!active.add(jobId)) {
            throw new JobConflictException("the encoder of job " + jobId + " is being trained already; "
                    + "GET /jobs/" + jobId + "/encoder follows it");
        }
        if (outstanding.incrementAndGet() > queueCapacity + 1) {
            outstanding.decrementAndGet();
            active.remove(jobId);
            throw new EncoderQueueFullException(queueCapacity);
        }
        try {
            EncoderRecord queued = EncoderRecord.queued(jobId, model.step(), settings.steps(), settings.batchSize(),
                    settings.learningRate(), settings.seed(), settings.precision(), cost.memoryBytes(), clock.instant());
            try {
                registry.saveEncoderRecord(queued);
            } catch (RuntimeException e) {
                if (OutOfSpace.causes(e)) {
                    throw new InsufficientStorageException("cannot record the encoder run of job " + jobId, e);
                }
                throw e;
            }
            worker.execute(() -> {
                try {
                    run(queued, settings);
                } finally {
                    active.remove(jobId);
                    outstanding.decrementAndGet();
                }
            });
            return queued;
        } catch (RuntimeException e) {
            active.remove(jobId);
            outstanding.decrementAndGet();
            throw e;
        }
    }

    private static EncoderSettings settings(Request request, long jobSeed) {
        EncoderSettings d = EncoderSettings.DEFAULTS;
        if (request == null) {
            return new EncoderSettings(d.steps(), d.batchSize(), d.learningRate(), jobSeed);
        }
        return new EncoderSettings(request.steps() != null ? request.steps() : d.steps(),
                request.batchSize() != null ? request.batchSize() : d.batchSize(),
                request.learningRate() != null ? request.learningRate() : d.learningRate(),
                request.seed() != null ? request.seed() : jobSeed);
    }

    /**
     * The job's encoder record; one an earlier process left unfinished reads (and is stored) as FAILED.
     *
     * @throws JobNotFoundException for an unknown job
     */
    public Optional<EncoderRecord> find(String jobId) {
        jobs.get(jobId);
        Optional<EncoderRecord> record = registry.encoderRecord(jobId);
        if (record.isPresent() && !record.get().isFinished() && !active.contains(jobId)
                && record.get().requestedAt().isBefore(startedAt)) {
            EncoderRecord failed = record.get().failed("interrupted by a restart; not trained, ask again",
                    clock.instant());
            registry.saveEncoderRecord(failed);
            return Optional.of(failed);
        }
        return record;
    }

    private void run(EncoderRecord queued, EncoderSettings settings) {
        String jobId = queued.jobId();
        EncoderRecord current = queued;
        long start = System.nanoTime();
        try (ServingModels.Lease lease = models.lease(jobId);
             var memory = budgets.backgroundMemory().reserve(queued.memoryBytes(), MEMORY_WAIT, "encoder of job " + jobId)) {
            GeneratorSnapshot g = lease.snapshot();
            try (EncoderTrainer trainer = new EncoderTrainer(g.model().network(), settings, g::forward, engineManager,
                    GradientCollectors.lock())) {
                for (long step = 0; step < settings.steps(); step++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("stopped by a shutdown after " + step + " updates");
                    }
                    float loss = trainer.step(step);
                    current = current.progressed(step + 1, loss);
                    if ((step + 1) % RECORD_EVERY == 0) {
                        registry.saveEncoderRecord(current);
                    }
                }
                double validation = trainer.validationError();
                registry.saveEncoder(jobId, g.step(), trainer::saveEncoder);
                current = current.succeeded(validation, clock.instant(), (System.nanoTime() - start) / 1e9);
                log.info("encoder of job {} trained: {} updates, held-out latent error {} in {} s", jobId,
                        settings.steps(), String.format("%.4f", validation), String.format("%.1f", current.seconds()));
            }
        } catch (RuntimeException | Error e) {
            log.warn("encoder of job {} failed: {}", jobId, e.toString());
            current = current.failed(OutOfSpace.describe(e), clock.instant());
        }
        try {
            registry.saveEncoderRecord(current);
        } catch (RuntimeException e) {
            log.warn("cannot record the end of the encoder run of job {}: {}", jobId, e.toString());
        }
    }

    /** Stops the run in progress at its next update and waits for it: the engine's arrays are closed after this. */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("an encoder run did not stop within 60 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
