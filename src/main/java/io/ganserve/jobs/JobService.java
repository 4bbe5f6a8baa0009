package io.ganserve.jobs;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DataKind;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetInfo;
import io.ganserve.data.DatasetUnavailableException;
import io.ganserve.data.GaussianMixture;
import io.ganserve.engine.BudgetBusyException;
import io.ganserve.engine.BudgetExceededException;
import io.ganserve.engine.DiskSpace;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.gan.NetworkSpec;
import java.time.Duration;
import io.ganserve.storage.OutOfSpace;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts, schedules, tracks and cancels training jobs. Records live in a {@link JobStore} shared by
 * every instance; any instance accepts jobs, and the instances with the training role claim them,
 * oldest first, on a bounded set of training threads. A job whose worker died (its lease ran out) is
 * claimed again and resumes from its last checkpoint; a worker that stops cleanly checkpoints and
 * re-queues what it was training.
 */
public final class JobService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final long MAX_CLAIM_BACKOFF_MS = 30_000;

    private final JobStore store;
    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final TrainingProperties properties;
    private final String workerId;
    private final boolean trains;
    private final JobListener listener;
    private final Clock clock;
    private final TrainingRun trainingRun;
    private final ResourceBudgets budgets;
    private final DiskSpace disk;
    /** The jobs this instance trains, as fresh as their last step; the store sees them at each heartbeat. */
    private final Map<String, Job> training = new ConcurrentHashMap<>();
    /**
     * Final records the store refused (a full disk, the database down): shown from here, and written
     * by the claim loop once the store takes writes again, so a job that failed because the disk
     * filled up says so instead of staying RUNNING.
     */
    private final Map<String, Job> unwritten = new ConcurrentHashMap<>();
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    private final Set<String> leaseLost = ConcurrentHashMap.newKeySet();
    /** Orders a job's store writes, so an older snapshot never overwrites a newer one. */
    private final Object storeWrites = new Object();
    private final Semaphore workArrived = new Semaphore(0);
    private final List<Thread> workers = new ArrayList<>();
    private ScheduledExecutorService heartbeat;
    private volatile boolean shuttingDown;
    private volatile boolean halted;

    /**
     * @param trains whether this instance trains (claims jobs); one that does not only accepts and reports them
     * @param evaluator scores runs as their plans ask; null scores nothing
     */
    public JobService(JobStore store, ModelRegistry registry, DatasetCatalog catalog, TrainingProperties properties,
                      String workerId, boolean trains, JobListener listener, NDManager engineManager, Clock clock,
                      Evaluator evaluator, ResourceBudgets budgets, DiskSpace disk) {
        this.store = store;
        this.budgets = budgets;
        this.disk = disk;
        this.registry = registry;
        this.catalog = catalog;
        this.properties = properties;
        this.workerId = workerId;
        this.trains = trains;
        this.listener = listener;
        this.clock = clock;
        this.trainingRun = new TrainingRun(registry, engineManager, GradientCollectors.lock(), clock, evaluator);
    }

    /**
     * Takes over records an older version kept as files, re-queues the jobs this worker held when it
     * last stopped, and starts claiming jobs.
     */
    public synchronized void start() {
        registry.sweepTemporaryFiles(properties.leaseDuration());
        registry.loadJobRecords(Job.class, j -> j.id() != null && j.status() != null && j.config() != null
                && j.createdAt() != null).forEach(job -> {
            if (store.insertIfAbsent(job.status().isFinished() ? job : job.requeued())) {
                log.info("job {} moved from the file registry into the job store", job.id());
            }
        });
        if (!trains) {
            return;
        }
        store.requeueLeasedBy(workerId).forEach(job -> log.info(
                "job {} was running here when this worker ({}) died; queued to resume from step {}"
                        + " ({} death(s) in a row)", job.id(), workerId, job.checkpointStep(), job.deaths()));
        for (int i = 1; i <= properties.workers(); i++) {
            Thread worker = new Thread(this::claimAndTrain, "gan-trainer-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gan-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = properties.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
    }

    public Job submit(JobRequest request) {
        DatasetInfo dataset;
        try {
            dataset = catalog.describe(request.dataset());
        } catch (DatasetUnavailableException | IllegalArgumentException e) {
            throw new InvalidJobException("dataset", e.getMessage());
        }
        int mixtureModes = catalog.mixture(request.dataset()).map(GaussianMixture::modeCount).orElse(0);
        TrainingConfig config = JobDefaults.resolve(request, dataset.kind(), catalog.nativeImageSize(dataset.name()),
                mixtureModes);
        catalog.imageSizeProblem(dataset.name(), config.imageSize()).ifPresent(problem -> {
            throw new InvalidJobException("imageSize", problem);
        });
        JobValidator.validate(config, dataset, Engine.getInstance().getGpuCount());
        JobCost cost = estimate(config, dataset);
        MemoryBudget memory = budgets.nativeMemory();
        if (!memory.canEverFit(cost.memoryBytes())) {
            throw new BudgetExceededException("this job (" + describe(config) + ")", memory.name(), cost.memoryBytes(),
                    memory.capacityBytes());
        }
        disk.ensureRoom(properties.dataDir(), cost.diskBytes(properties.keepCheckpoints()),
                "this job's checkpoints and generators");
        synchronized (this) {
            // a bound, not a count kept exact across instances: several may admit a job at the same moment
            if (store.count(JobStatus.QUEUED) >= properties.queueCapacity()) {
                throw new QueueFullException(properties.queueCapacity());
            }
            Job job = Job.queued(UUID.randomUUID().toString(), config, clock.instant());
            store.insert(job);
            workArrived.release();
            return job;
        }
    }

    /** Checkpoints each job keeps on disk, for its disk price. */
    public int keepCheckpoints() {
        return properties.keepCheckpoints();
    }

    /** What a job of {@code config} will hold while it trains and leave on disk; null when its dataset is gone. */
    public JobCost estimate(TrainingConfig config) {
        try {
            DatasetInfo dataset = catalog.describe(config.dataset());
            return estimate(config, dataset);
        } catch (RuntimeException gone) {
            return null;
        }
    }

    private JobCost estimate(TrainingConfig config, DatasetInfo dataset) {
        return JobCost.of(config, plannedNetwork(config, dataset));
    }

    /**
     * The networks a job will train, from what the catalog knows before loading: a folder's images
     * count as colour (its channels are only known once decoded) and a conditional job as ten
     * classes; both change the price by a few per cent at most.
     */
    private NetworkSpec plannedNetwork(TrainingConfig config, DatasetInfo dataset) {
        java.util.List<Integer> shape;
        if (dataset.kind() == DataKind.POINTS) {
            int dims = catalog.mixture(config.dataset()).map(m -> m.modes()[0].length).orElse(2);
            shape = java.util.List.of(dims);
        } else {
            int channels = dataset.channels() > 0 ? dataset.channels() : 3;
            shape = java.util.List.of(channels, config.imageSize(), config.imageSize());
        }
        Variant v = config.variant();
        return new NetworkSpec(config.architecture(), config.latentDim(), shape, config.hiddenUnits(),
                config.hiddenLayers(), config.featureMaps(), v.pack(), v.spectralNorm(), v.conditional() ? 10 : 0,
                v.infoGan().codes());
    }

    private static String describe(TrainingConfig config) {
        return config.architecture().id() + (config.architecture() == io.ganserve.gan.Architecture.MLP
                ? " " + config.hiddenUnits() + " x " + config.hiddenLayers()
                : " " + config.imageSize() + " px, featureMaps " + config.featureMaps())
                + ", batch " + config.batchSize();
    }

    public Optional<Job> find(String id) {
        Job local = training.getOrDefault(id, unwritten.get(id));
        return local != null ? Optional.of(local) : store.find(id);
    }

    public Job get(String id) {
        return find(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    /** Newest first. */
    public List<Job> list() {
        return store.list().stream().map(j -> training.getOrDefault(j.id(), unwritten.getOrDefault(j.id(), j)))
                .toList();
    }

    public long count(JobStatus status) {
        return store.count(status);
    }

    /**
     * A queued job ends CANCELLED at once; a running one stops at its next step (on whichever
     * instance trains it, at that worker's next heartbeat), checkpoints, and then ends CANCELLED.
     */
    public Job cancel(String id) {
        Job job = get(id);
        if (job.status() == JobStatus.QUEUED) {
            Optional<Job> cancelled = store.cancelQueued(id, clock.instant());
            if (cancelled.isPresent()) {
                listener.jobFinished(cancelled.get());
                return cancelled.get();
            }
            job = get(id); // claimed meanwhile
        }
        if (job.status() == JobStatus.RUNNING) {
            store.requestCancel(id);
            if (training.containsKey(id)) {
                cancelRequested.add(id);
            }
            return job;
        }
        throw new JobConflictException("job " + id + " has already finished (" + job.status()
                + "); only queued or running jobs can be cancelled");
    }

    private void claimAndTrain() {
        prepareTrainingThread();
        long backoff = 0; // while the store fails: doubled from the poll interval up to MAX_CLAIM_BACKOFF_MS
        int failures = 0;
        while (!shuttingDown) {
            Optional<Job> claimed = Optional.empty();
            try {
                writeUnwritten();
                Instant now = clock.instant();
                claimed = store.claimNext(workerId, now, now.plus(properties.leaseDuration()));
                if (failures > 0) {
                    log.info("the job store answers again after {} failed claim(s)", failures);
                }
                failures = 0;
                backoff = 0;
            } catch (RuntimeException e) {
                // one line per streak: a store that is down (full disk, database restarting) would
                // otherwise log a stack trace every poll interval until it is back
                if (failures++ == 0) {
                    log.warn("cannot claim a job: {}; retrying with backoff up to {} s, quietly until it works",
                            OutOfSpace.describe(e), MAX_CLAIM_BACKOFF_MS / 1000);
                }
                backoff = Math.min(MAX_CLAIM_BACKOFF_MS,
                        backoff == 0 ? properties.pollInterval().toMillis() : backoff * 2);
            }
            if (claimed.isPresent()) {
                try {
                    train(claimed.get());
                } catch (RuntimeException e) {
                    log.warn("job {}: {}", claimed.get().id(), e.toString()); // keeps this training thread alive
                }
            } else {
                try {
                    // a submission wakes it early only once the store took its insert, so it works again
                    long wait = backoff > 0 ? backoff : properties.pollInterval().toMillis();
                    workArrived.tryAcquire(wait, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void train(Job claimed) {
        String id = claimed.id();
        training.put(id, claimed);
        if (claimed.deaths() >= properties.maxAttempts()) {
            String reason = "the worker training this job died " + claimed.deaths() + " times in a row (last at step "
                    + claimed.step() + "); not retried: it may exhaust the worker's memory,"
                    + " or crash its engine";
            log.warn("job {} failed: {}", id, reason);
            try {
                finish(id, JobStatus.FAILED, reason);
            } finally {
                training.remove(id);
            }
            return;
        }
        if (claimed.checkpointStep() > 0) {
            log.info("worker {} resumes job {} from its checkpoint at step {}", workerId, id, claimed.checkpointStep());
        }
        MemoryBudget.Reservation memory = null;
        try {
            TrainingConfig config = claimed.config();
            memory = awaitMemory(claimed);
            if (memory == null) {
                if (cancelRequested.contains(id)) {
                    finish(id, JobStatus.CANCELLED, null);
                } else if (!leaseLost.contains(id)) {
                    release(id, Job::requeued); // shutting down while waiting: the next claim tries again
                }
                return;
            }
            var dataset = catalog.load(config.dataset(), config.seed(), config.imageSize());
            TrainingRun.Outcome outcome = trainingRun.run(claimed, dataset, (change, persist) -> update(id, change, persist),
                    () -> shuttingDown || cancelRequested.contains(id) || leaseLost.contains(id), listener);
            if (leaseLost.contains(id)) {
                log.warn("job {} stopped here: worker {} lost its lease on it", id, workerId);
            } else if (outcome == TrainingRun.Outcome.COMPLETED) {
                finish(id, JobStatus.SUCCEEDED, null);
            } else if (cancelRequested.contains(id)) {
                finish(id, JobStatus.CANCELLED, null);
            } else {
                release(id, Job::requeued); // shutting down: the next claim resumes it
            }
        } catch (LeaseLostException e) {
            log.warn("job {} stopped here: {}", id, e.getMessage());
        } catch (RuntimeException | Error e) {
            String message = OutOfSpace.describe(e);
            if (OutOfSpace.causes(e)) {
                log.warn("job {} failed: {}", id, message); // the disk, not a bug: no stack trace
            } else {
                log.warn("job {} failed", id, e);
            }
            finish(id, JobStatus.FAILED, message);
        } finally {
            if (memory != null) {
                memory.close();
            }
            training.remove(id);
            cancelRequested.remove(id);
            leaseLost.remove(id);
        }
    }

    /**
     * Reserves the job's memory before it allocates any, waiting while sampling requests and other
     * jobs hold it; the lease is renewed meanwhile, since the job counts as running here. A job
     * priced above the whole budget (submitted under a larger one) fails with the reason.
     *
     * @return null when asked to stop while waiting
     */
    private MemoryBudget.Reservation awaitMemory(Job job) {
        JobCost cost = estimate(job.config());
        long bytes = cost == null ? 0 : cost.memoryBytes();
        boolean logged = false;
        while (!shuttingDown && !cancelRequested.contains(job.id()) && !leaseLost.contains(job.id())) {
            try {
                return budgets.nativeMemory().reserve(bytes, Duration.ofSeconds(1), "job " + job.id());
            } catch (BudgetBusyException busy) {
                if (!logged) {
                    log.info("job {} waits for memory: {}", job.id(), busy.getMessage());
                    logged = true;
                }
            }
        }
        return null;
    }

    private void finish(String id, JobStatus outcome, String message) {
        Job finished = release(id, j -> j.finished(outcome, clock.instant(), message));
        if (finished != null) {
            listener.jobFinished(finished);
        }
    }

    /** Writes the final records the store refused earlier; throws while it still refuses them. */
    private void writeUnwritten() {
        for (Job job : List.copyOf(unwritten.values())) {
            synchronized (storeWrites) {
                if (!store.release(job, workerId)) {
                    log.warn("job {}: its final state {} was not written; another worker took it over meanwhile",
                            job.id(), job.status());
                }
                unwritten.remove(job.id());
            }
        }
    }

    /** The final write of a run; null when the lease was lost (the new owner's record stands). */
    private Job release(String id, UnaryOperator<Job> change) {
        synchronized (storeWrites) {
            Job last = training.compute(id, (k, j) -> change.apply(j));
            boolean written;
            try {
                written = !halted && store.release(last, workerId);
            } catch (RuntimeException e) {
                log.warn("job {}: the store refused its final state {} ({}); written when it takes writes again",
                        id, last.status(), OutOfSpace.describe(e));
                unwritten.put(id, last);
                return last;
            }
            if (written) {
                return last;
            }
            log.warn("job {}: worker {} no longer holds its lease; its final state {} was not written",
                    id, workerId, last.status());
            return null;
        }
    }

    private Job update(String id, UnaryOperator<Job> change, boolean persist) {
        if (!persist) {
            return training.compute(id, (k, j) -> change.apply(j));
        }
        synchronized (storeWrites) {
            Job updated = training.compute(id, (k, j) -> change.apply(j));
            if (halted || !store.save(updated, workerId, leaseEnd())) {
                leaseLost.add(id);
                throw new LeaseLostException(id, workerId);
            }
            return updated;
        }
    }

    /** Renews this worker's leases, publishes its jobs' progress, and picks up cancellations made elsewhere. */
    private void renewLeases() {
        for (String id : training.keySet()) {
            try {
                JobStore.Renewal renewal;
                synchronized (storeWrites) {
                    Job current = training.get(id);
                    if (current == null) {
                        continue;
                    }
                    renewal = store.renew(current, workerId, leaseEnd());
                }
                switch (renewal) {
                    case LOST -> leaseLost.add(id);
                    case CANCEL_REQUESTED -> cancelRequested.add(id);
                    case HELD -> { }
                }
            } catch (RuntimeException e) {
                // the store may be briefly unreachable; the lease holds until it expires
                log.warn("cannot renew the lease on job {}: {}", id, e.toString());
            }
        }
    }

    private Instant leaseEnd() {
        return clock.instant().plus(properties.leaseDuration());
    }

    /** Grad mode is thread-local in libtorch; only collectors may turn it on here. */
    private static void prepareTrainingThread() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    /** Asks running jobs to checkpoint and stop; they go back to the queue and resume on the next claim. */
    @Override
    public void close() {
        shuttingDown = true;
        workArrived.release(workers.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (worker.isAlive()) {
                log.warn("training thread {} did not stop within 60 s", worker.getName());
            }
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        if (!unwritten.isEmpty()) {
            try {
                writeUnwritten();
            } catch (RuntimeException e) {
                log.warn("{} job(s) stay RUNNING in the store, which still refuses their final state: {}",
                        unwritten.size(), e.toString());
            }
        }
    }

    /**
     * Stops at once and writes nothing more, as if the process were killed: the leases stay until
     * they expire. For tests of what other workers do after a crash.
     */
    void halt() {
        halted = true;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        leaseLost.addAll(training.keySet());
        shuttingDown = true;
        workArrived.release(workers.size());
    }
}
