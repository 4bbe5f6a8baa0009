package io.ganserve.jobs;

import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.support.Databases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import io.ganserve.engine.DiskSpace;
import io.ganserve.engine.ResourceBudgets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job lifecycle without a server: queueing, cancelling, limits, surviving a restart, and several
 * workers sharing one job store and one registry (what instances sharing PostgreSQL and a volume do).
 */
class JobServiceTest {

    @TempDir
    Path root;

    NDManager manager;
    ModelRegistry registry;
    DatasetCatalog catalog;
    Databases.Database database;
    JobStore store;
    final List<ModelInfo> ready = new CopyOnWriteArrayList<>();
    /** Which worker started each job, in order: a job started twice shows up twice. */
    final Map<String, List<String>> startedBy = new ConcurrentHashMap<>();
    final List<JobService> services = new ArrayList<>();

    @BeforeEach
    void setUp() {
        database = Databases.h2();
        store = new JdbcJobStore(database.dataSource());
        manager = NDManager.newBaseManager();
        registry = new ModelRegistry(root, 3);
        catalog = new DatasetCatalog(new DatasetLocations(root.resolve("mnist"), root.resolve("fashion"),
                root.resolve("datasets"), 2000));
    }

    @AfterEach
    void tearDown() {
        services.forEach(JobService::close);
        manager.close();
        database.close();
    }

    private JobService service(int queueCapacity) {
        return service("worker-1", true, new TrainingProperties(root, 1, queueCapacity, 3));
    }

    /** A worker with short leases, as a crash test wants them: taken over 2 s after its last renewal. */
    private JobService worker(String id, boolean trains) {
        return worker(id, trains, 3);
    }

    private JobService worker(String id, boolean trains, int maxAttempts) {
        return service(id, trains, new TrainingProperties(root, 1, 10, 3, "", Duration.ofSeconds(2),
                Duration.ofMillis(300), Duration.ofMillis(200), maxAttempts));
    }

    private JobService service(String workerId, boolean trains, TrainingProperties properties) {
        JobService s = new JobService(store, registry, catalog, properties, workerId, trains, new JobListener() {
            @Override
            public void modelReady(ModelInfo model) {
                ready.add(model);
            }

            @Override
            public void jobStarted(Job job) {
                startedBy.computeIfAbsent(job.id(), k -> new CopyOnWriteArrayList<>()).add(workerId);
            }

            @Override
            public JobCost.Extra costOf(io.ganserve.registry.TrainingConfig config, io.ganserve.gan.NetworkSpec spec) {
                return listenerCost;
            }
        }, manager, Clock.systemUTC(), null, ResourceBudgets.of(8L << 30, 1L << 30, Duration.ofSeconds(1)),
                new DiskSpace(0), PrecisionDefaults.FLOAT32_HOST);
        services.add(s);
        s.start();
        return s;
    }

    /** What the test's listener says it keeps beside every job. */
    private volatile JobCost.Extra listenerCost = JobCost.Extra.NONE;

    /** A job's price is its networks' plus what the listeners keep beside it (history, progress grids). */
    @Test
    void aJobsPriceIncludesWhatItsListenersKeepBesideIt() {
        JobService s = service(10);
        Job job = s.submit(ring(10, 5));
        JobCost networks = s.estimate(job.config());
        listenerCost = new JobCost.Extra(networks.stepBytes() - 1, 11_000_000);
        JobCost price = s.estimate(job.config());
        // work in the pause between steps fits in what the step's arrays held
        assertThat(price.memoryBytes()).isEqualTo(networks.memoryBytes());
        assertThat(price.diskBytes(3)).isEqualTo(networks.diskBytes(3) + 11_000_000);
        assertThat(price.checkpointBytes()).isEqualTo(networks.checkpointBytes());
        listenerCost = new JobCost.Extra(networks.stepBytes() + 7_000_000, 0);
        assertThat(s.estimate(job.config()).memoryBytes()).isEqualTo(networks.memoryBytes() + 7_000_000);
    }

    private static JobRequest ring(int steps, int checkpointEvery) {
        return new JobRequest("ring8", null, null, steps, 16, null, 4, 16, 2, null, null, null, null, null, null,
                null, 1L, checkpointEvery, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    private static JobRequest fineTune(String parent, int steps) {
        return new JobRequest("ring8", null, null, steps, 16, null, 4, 16, 2, null, null, null, null, null, null,
                null, 1L, 5, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                parent, null, null, null);
    }

    /**
     * The parent deleted after the request was checked against it and before its checkpoint is
     * copied (another request's DELETE, retention, another instance): the request is refused naming
     * {@code parent}, not failed as the server's own error, and leaves neither record nor files. The
     * moment is fixed by a job store that deletes the parent when the queue is counted, which
     * submit does between the two.
     */
    @Test
    void aFineTuningWhoseParentIsDeletedBeforeItsCheckpointIsCopiedIsRefusedNamingTheParent() {
        JobService trainer = service(10);
        Job parent = await(trainer, trainer.submit(ring(10, 5)).id(), j -> j.status().isFinished());
        assertThat(parent.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(registry.latestCheckpoint(parent.id())).isPresent();
        JobStore real = store;
        // the trainer's own view finishes before its final write; the submitter below reads the store
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!real.find(parent.id()).orElseThrow().status().isFinished() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        java.util.concurrent.atomic.AtomicReference<String> deleteWhenCounted = new java.util.concurrent.atomic.AtomicReference<>();
        store = (JobStore) java.lang.reflect.Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("count")) {
                        String id = deleteWhenCounted.getAndSet(null);
                        if (id != null) {
                            registry.deleteJob(id);
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        JobService submitter = worker("worker-2", false);
        deleteWhenCounted.set(parent.id());

        assertThatThrownBy(() -> submitter.submit(fineTune(parent.id(), 20)))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("parent"))
                .hasMessageContaining(parent.id()).hasMessageContaining("deleted");
        assertThat(deleteWhenCounted.get()).as("the parent was deleted at the moment in question").isNull();
        assertThat(real.list()).extracting(Job::id).containsExactly(parent.id());
        assertThat(registry.jobIds()).as("no folder left for the refused child").isEmpty();

        // the same request with its parent in place goes through (the moment above was the only difference)
        // awaited as the submitter sees it (the store): the trainer's own view finishes before its final write
        Job second = await(submitter, trainer.submit(ring(10, 5)).id(), j -> j.status().isFinished());
        Job child = submitter.submit(fineTune(second.id(), 20));
        assertThat(registry.latestCheckpoint(child.id())).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(10));
    }

    private static Job await(JobService s, String id, java.util.function.Predicate<Job> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            Job job = s.get(id);
            if (condition.test(job)) {
                return job;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("condition not reached: " + s.get(id));
    }

    @Test
    void jobsRunInOrderOneAtATimeAndPublishTheirModel() {
        JobService s = service(10);
        Job first = s.submit(ring(30, 10));
        Job second = s.submit(ring(30, 10));
        assertThat(second.status()).isEqualTo(JobStatus.QUEUED);
        Job done = await(s, second.id(), j -> j.status().isFinished());
        Job firstDone = s.get(first.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(firstDone.times().finishedAt()).isBeforeOrEqualTo(done.times().startedAt());
        assertThat(ready).extracting(ModelInfo::jobId).containsExactly(first.id(), second.id());
        assertThat(registry.model(second.id())).isPresent();
        assertThat(s.list()).extracting(Job::id).containsExactly(second.id(), first.id());
    }

    @Test
    void cancellingAQueuedJobMeansItNeverRuns() {
        JobService s = service(10);
        // long enough that it cannot finish before the cancel below reaches it (400 steps once did)
        Job running = s.submit(ring(1_000_000, 100));
        Job queued = s.submit(ring(30, 10));
        assertThat(s.cancel(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);
        s.cancel(running.id());
        Job cancelled = await(s, running.id(), j -> j.status().isFinished());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.progress().checkpointStep()).isEqualTo(cancelled.progress().step());
        assertThat(s.get(queued.id()).times().startedAt()).isNull();
        assertThatThrownBy(() -> s.cancel(queued.id())).isInstanceOf(JobConflictException.class);
    }

    @Test
    void aFullQueueRefusesNewJobs() {
        JobService s = service(1);
        s.submit(ring(5000, 1000));
        await(s, s.list().getFirst().id(), j -> j.status() == JobStatus.RUNNING);
        s.submit(ring(30, 10));
        assertThatThrownBy(() -> s.submit(ring(30, 10))).isInstanceOf(QueueFullException.class);
    }

    @Test
    void missingDatasetsAreRefusedAtSubmission() {
        assertThatThrownBy(() -> service(10).submit(JobRequest.forDataset("mnist")))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining(root.resolve("mnist").toString())
                .extracting(e -> ((InvalidJobException) e).field()).isEqualTo("dataset");
    }

    @Test
    void aRestartResumesAnInterruptedJobFromItsLastCheckpoint() {
        JobService before = service(10);
        Job job = before.submit(ring(3000, 50));
        await(before, job.id(), j -> j.progress().checkpointStep() >= 100);
        before.close(); // what SIGTERM does: checkpoint, stop, go back to the queue
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
        long savedAt = stored.progress().checkpointStep();
        assertThat(savedAt).isEqualTo(stored.progress().step()).isLessThan(3000);

        JobService after = service(10);
        Job resumed = await(after, job.id(), j -> j.status().isFinished());
        assertThat(resumed.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(resumed.progress().resumedFromStep()).isEqualTo(savedAt);
        assertThat(resumed.progress().step()).isEqualTo(3000);
    }

    @Test
    void twoWorkersOnOneStoreTrainEveryJobExactlyOnce() {
        JobService a = worker("worker-a", true);
        JobService b = worker("worker-b", true);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add((i % 2 == 0 ? a : b).submit(ring(40, 20)).id());
        }
        for (String id : ids) {
            assertThat(await(a, id, j -> j.status().isFinished()).status()).isEqualTo(JobStatus.SUCCEEDED);
        }
        assertThat(startedBy).containsOnlyKeys(ids);
        startedBy.forEach((id, workers) -> assertThat(workers).as(id).hasSize(1));
        assertThat(ready).extracting(ModelInfo::jobId).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aJobWhoseWorkerDiedIsTakenOverAndResumesFromItsLastCheckpoint() {
        JobService doomed = worker("worker-doomed", true);
        Job job = doomed.submit(ring(3000, 50));
        await(doomed, job.id(), j -> j.progress().checkpointStep() >= 100);
        doomed.halt(); // as kill -9 leaves it: no last checkpoint, no record, the lease still held
        long onDisk = registry.latestCheckpoint(job.id()).orElseThrow().step();
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

        JobService survivor = worker("worker-survivor", true);
        Job done = await(survivor, job.id(), j -> j.status().isFinished());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.progress().step()).isEqualTo(3000);
        assertThat(done.progress().resumedFromStep()).isGreaterThanOrEqualTo(onDisk).isGreaterThanOrEqualTo(100);
        assertThat(startedBy.get(job.id())).containsExactly("worker-doomed", "worker-survivor");
    }

    @Test
    void aJobWhoseWorkerDiedTooOftenInARowFailsInsteadOfBeingClaimedAgain() {
        JobService first = worker("worker-w", true, 2);
        Job job = first.submit(ring(1_000_000, 50));
        await(first, job.id(), j -> j.progress().checkpointStep() >= 50);
        first.halt(); // kill -9 while training it

        JobService second = worker("worker-w", true, 2); // the same worker, restarted: one death
        Job retried = await(second, job.id(),
                j -> j.status() == JobStatus.RUNNING && j.progress().checkpointStep() >= 100);
        assertThat(retried.claims().attempts()).isEqualTo(2);
        assertThat(retried.claims().deaths()).isEqualTo(1);
        second.halt(); // and again

        JobService third = worker("worker-w", true, 2);
        Job failed = await(third, job.id(), j -> j.status().isFinished());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).startsWith("the worker training this job died 2 times in a row (last at step ")
                .contains("not retried");
        assertThat(failed.claims().attempts()).isEqualTo(3);
        assertThat(startedBy.get(job.id())).as("the third claim trained nothing").hasSize(2);
        assertThat(store.claimNext("worker-other", Instant.now().plusSeconds(3600), Instant.now().plusSeconds(7200)))
                .as("a failed job is claimed by nobody, even once every lease has run out").isEmpty();
    }

    @Test
    void anInstanceWithoutTheTrainingRoleAcceptsJobsButLeavesThemToTrainers() {
        JobService server = worker("server", false);
        Job job = server.submit(ring(30, 10));
        assertThat(server.get(job.id()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(startedBy).isEmpty();

        worker("trainer", true);
        Job done = await(server, job.id(), j -> j.status().isFinished());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        // No waiting for something not to happen: every claim counts an attempt and tells the listener,
        // and a job is claimable only while queued, so one attempt, by the trainer, over the job's whole
        // life (from submission to success) means the server never claimed it.
        assertThat(done.claims().attempts()).as("claims of the job").isEqualTo(1);
        assertThat(startedBy.get(job.id())).containsExactly("trainer");
    }

    @Test
    void aCancelOnOneInstanceStopsTheJobOnTheInstanceTrainingIt() {
        JobService trainer = worker("trainer", true);
        JobService server = worker("server", false);
        Job job = server.submit(ring(100_000, 1000));
        await(server, job.id(), j -> j.status() == JobStatus.RUNNING && j.progress().step() > 0);
        server.cancel(job.id());
        Job cancelled = await(server, job.id(), j -> j.status().isFinished());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.progress().step()).isLessThan(100_000);
        assertThat(trainer.get(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }
}
