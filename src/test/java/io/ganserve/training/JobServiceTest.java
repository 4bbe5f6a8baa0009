package io.ganserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job lifecycle without a server: queueing, cancelling, limits, and surviving a restart. */
class JobServiceTest {

    @TempDir
    Path root;

    NDManager manager;
    ModelRegistry registry;
    DatasetCatalog catalog;
    final List<ModelInfo> ready = new ArrayList<>();
    final List<JobService> services = new ArrayList<>();

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        registry = new ModelRegistry(root, 3);
        catalog = new DatasetCatalog(new DatasetLocations(root.resolve("mnist"), root.resolve("fashion"),
                root.resolve("datasets"), 2000));
    }

    @AfterEach
    void tearDown() {
        services.forEach(JobService::close);
        manager.close();
    }

    private JobService service(int queueCapacity) {
        JobService s = new JobService(registry, catalog, new TrainingProperties(root, 1, queueCapacity, 3),
                new JobListener() {
                    @Override
                    public void modelReady(ModelInfo model) {
                        ready.add(model);
                    }
                }, manager, Clock.systemUTC());
        services.add(s);
        return s;
    }

    private static JobRequest ring(int steps, int checkpointEvery) {
        return new JobRequest("ring8", null, null, steps, 16, null, 4, 16, 2, null, null, null, null, null, null,
                null, 1L, checkpointEvery, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
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
        assertThat(firstDone.finishedAt()).isBeforeOrEqualTo(done.startedAt());
        assertThat(ready).extracting(ModelInfo::jobId).containsExactly(first.id(), second.id());
        assertThat(registry.model(second.id())).isPresent();
        assertThat(s.list()).extracting(Job::id).containsExactly(second.id(), first.id());
    }

    @Test
    void cancellingAQueuedJobMeansItNeverRuns() {
        JobService s = service(10);
        Job running = s.submit(ring(400, 100));
        Job queued = s.submit(ring(30, 10));
        assertThat(s.cancel(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);
        s.cancel(running.id());
        Job cancelled = await(s, running.id(), j -> j.status().isFinished());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.checkpointStep()).isEqualTo(cancelled.step());
        assertThat(s.get(queued.id()).startedAt()).isNull();
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
        await(before, job.id(), j -> j.checkpointStep() >= 100);
        before.close(); // what SIGTERM does: checkpoint, stop, stay queued on disk
        Job stored = registry.loadJobs().getFirst();
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
        long savedAt = stored.checkpointStep();
        assertThat(savedAt).isEqualTo(stored.step()).isLessThan(3000);

        JobService after = service(10);
        after.recover();
        Job resumed = await(after, job.id(), j -> j.status().isFinished());
        assertThat(resumed.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(resumed.resumedFromStep()).isEqualTo(savedAt);
        assertThat(resumed.step()).isEqualTo(3000);
    }
}
