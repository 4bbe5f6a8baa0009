package io.ganserve.jobs;

import io.ganserve.registry.TrainingConfig;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.engine.BudgetBusyException;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.ResourceBudgets;
import java.time.Duration;
import io.ganserve.storage.OutOfSpace;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training side of the job service: claims jobs from the store on a bounded set of training
 * threads, holds their leases by heartbeat, trains them through {@link TrainingRun}, and writes
 * their final state. A job whose worker died (its lease ran out) is claimed again and resumes from
 * its last checkpoint; a worker that stops cleanly checkpoints and re-queues what it was training.
 */
final class JobWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    private static final long MAX_CLAIM_BACKOFF_MS = 30_000;

    private final JobStore store;
    private final DatasetCatalog catalog;
    private final TrainingProperties properties;
    private final String workerId;
    private final JobListener listener;
    private final Clock clock;
    private final TrainingRun trainingRun;
    private final ResourceBudgets budgets;
    private final Function<TrainingConfig, JobCost> price;
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

    /** @param price what a job's memory costs, null when its dataset is gone */
    JobWorkers(JobStore store, DatasetCatalog catalog, TrainingProperties properties, String workerId,
               JobListener listener, Clock clock, TrainingRun trainingRun, ResourceBudgets budgets,
               Function<TrainingConfig, JobCost> price) {
        this.store = store;
        this.catalog = catalog;
        this.properties = properties;
        this.workerId = workerId;
        this.listener = listener;
        this.clock = clock;
        this.trainingRun = trainingRun;
        this.budgets = budgets;
        this.price = price;
    }

    /** Re-queues the jobs this worker held when it last stopped, and starts claiming jobs. */
    void start() {
        store.requeueLeasedBy(workerId).forEach(job -> log.info(
                "job {} was running here when this worker ({}) died; queued to resume from step {}"
                        + " ({} death(s) in a row)", job.id(), workerId, job.progress().checkpointStep(),
                        job.claims().deaths()));
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

    /** The fresher copy of a job this instance trains, or whose final state the store refused. */
    Optional<Job> live(String id) {
        return Optional.ofNullable(training.getOrDefault(id, unwritten.get(id)));
    }

    /** {@code stored}, or the fresher copy held here. */
    Job freshest(Job stored) {
        return training.getOrDefault(stored.id(), unwritten.getOrDefault(stored.id(), stored));
    }

    /** Stops the job at its next step when it trains here; elsewhere its worker sees the store's flag. */
    void cancel(String id) {
        if (training.containsKey(id)) {
            cancelRequested.add(id);
        }
    }

    /** A job was queued: a waiting worker looks at once. */
    void workArrived() {
        workArrived.release();
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
        int deaths = claimed.claims().deaths();
        if (deaths >= properties.maxAttempts()) {
            String reason = "the worker training this job died " + deaths + " times in a row (last at step "
                    + claimed.progress().step() + "); not retried: it may exhaust the worker's memory,"
                    + " or crash its engine";
            log.warn("job {} failed: {}", id, reason);
            try {
                finish(id, JobStatus.FAILED, reason);
            } finally {
                training.remove(id);
            }
            return;
        }
        if (claimed.progress().checkpointStep() > 0) {
            log.info("worker {} resumes job {} from its checkpoint at step {}", workerId, id,
                    claimed.progress().checkpointStep());
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
        JobCost cost = price.apply(job.config());
        long bytes = cost == null ? 0 : cost.memoryBytes();
        boolean logged = false;
        while (!shuttingDown && !cancelRequested.contains(job.id()) && !leaseLost.contains(job.id())) {
            try {
                return budgets.backgroundMemory().reserve(bytes, Duration.ofSeconds(1), "job " + job.id());
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
                if (halted) {
                    return;
                }
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
            Job last = change.apply(training.get(id));
            boolean written;
            try {
                written = !halted && store.release(last, workerId);
            } catch (RuntimeException e) {
                log.warn("job {}: the store refused its final state {} ({}); written when it takes writes again",
                        id, last.status(), OutOfSpace.describe(e));
                unwritten.put(id, last);
                return last;
            } finally {
                // shown as final only after the write, so a reader who sees FAILED or SUCCEEDED here
                // finds it in the store too (or, when the store refused it, among the unwritten)
                training.put(id, last);
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
                    if (current == null || halted) {
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
        // every store write checks `halted` under this lock, so none starts after halt() returns:
        // as after kill -9, whatever the halted worker's threads are still doing never reaches the store
        synchronized (storeWrites) {
            halted = true;
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        leaseLost.addAll(training.keySet());
        shuttingDown = true;
        workArrived.release(workers.size());
    }
}
