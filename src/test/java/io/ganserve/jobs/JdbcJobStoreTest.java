package io.ganserve.jobs;

import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.training.StepResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ganserve.gan.LossKind;
import io.ganserve.support.Databases;
import io.ganserve.support.Databases.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.params.provider.MethodSource;

/** The job store on both databases it supports, each migrated by the service's own Flyway scripts. */
class JdbcJobStoreTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final TrainingConfig CONFIG = TrainingConfig.builder("ring8").hidden(8, 1).loss(LossKind.MINIMAX).steps(10)
            .batchSize(8).latentDim(2).learningRates(1e-3f, 1e-3f).seed(5).checkpointEvery(5).build();

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    static Database open(String kind) {
        if (kind.equals("h2")) {
            return Databases.h2();
        }
        Optional<Database> postgres = Databases.postgres();
        assumeTrue(postgres.isPresent(), Databases.NO_POSTGRES);
        return postgres.get();
    }

    static Job queued(String id, int secondsAfterT0) {
        return Job.queued(id, CONFIG, T0.plusSeconds(secondsAfterT0));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void recordsRoundTripAndListNewestFirst(String kind) {
        try (Database db = open(kind)) {
            JobStore store = new JdbcJobStore(db.dataSource());
            Job job = queued("a", 0).started(T0.plusSeconds(1), 0, 0)
                    .progressed(4, 0.5, new StepResult(0.7f, 1.3f), 100, 0.01);
            store.insert(job);
            store.insert(queued("b", 5));
            assertThat(store.find("a")).contains(job);
            assertThat(store.find("nope")).isEmpty();
            assertThat(store.list()).extracting(Job::id).containsExactly("b", "a");
            assertThat(store.count(JobStatus.QUEUED)).isEqualTo(1);
            assertThat(store.insertIfAbsent(queued("a", 9))).isFalse();
            assertThat(store.find("a")).contains(job);
        }
    }

    /** Rows an earlier version wrote, its jobs flat (see {@link JobJsonTest#FLAT}), after an upgrade in place. */
    @ParameterizedTest
    @MethodSource("databases")
    void rowsWrittenFlatByAnEarlierVersionStillReadAndAreRewrittenByParts(String kind) {
        try (Database db = open(kind)) {
            JdbcTemplate sql = new JdbcTemplate(db.dataSource());
            String insert = "INSERT INTO jobs (id, status, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?)";
            long t0 = T0.toEpochMilli();
            sql.update(insert, "flat", "FAILED", t0, t0, JobJsonTest.FLAT);
            String queuedFlat = JobJsonTest.FLAT.replace("\"id\":\"flat\",\"status\":\"FAILED\"",
                    "\"id\":\"again\",\"status\":\"QUEUED\"");
            sql.update(insert, "again", "QUEUED", t0 + 1, t0 + 1, queuedFlat);
            JobStore store = new JdbcJobStore(db.dataSource());

            assertThat(store.find("flat")).contains(JobJsonTest.FLAT_JOB);
            assertThat(store.list()).extracting(Job::id).containsExactly("again", "flat");

            Instant now = T0.plusSeconds(100);
            Job claimed = store.claimNext("w1", now, now.plusSeconds(30)).orElseThrow();
            Job flat = JobJsonTest.FLAT_JOB;
            Job flatQueued = new Job("again", JobStatus.QUEUED, flat.config(), flat.progress(), flat.losses(),
                    flat.quality(), flat.times(), flat.error(), flat.claims());
            assertThat(claimed).isEqualTo(flatQueued.claimed(now));
            assertThat(claimed.claims()).isEqualTo(new Job.Claims(4, 1));
            assertThat(claimed.progress().checkpointStep()).isEqualTo(30);
            String rewritten = sql.queryForObject("SELECT record FROM jobs WHERE id = 'again'", String.class);
            JsonNode record = ModelRegistry.storageMapper().readTree(rewritten);
            assertThat(record.get("progress").isObject()).isTrue();
            assertThat(record.has("step")).as("written back by parts, not flat").isFalse();
            assertThat(store.find("again")).contains(claimed);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void claimsTakeTheOldestQueuedJobAndLeaveLiveLeasesAlone(String kind) {
        try (Database db = open(kind)) {
            JobStore store = new JdbcJobStore(db.dataSource());
            store.insert(queued("later", 10));
            store.insert(queued("first", 0));
            Instant now = T0.plusSeconds(20);
            Job claimed = store.claimNext("w1", now, now.plusSeconds(30)).orElseThrow();
            assertThat(claimed.id()).isEqualTo("first");
            assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(store.find("first").orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(store.claimNext("w2", now, now.plusSeconds(30)).orElseThrow().id()).isEqualTo("later");
            assertThat(store.claimNext("w3", now.plusSeconds(29), now.plusSeconds(60))).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anExpiredLeaseIsTakenOverAndTheOldHolderCanNoLongerWrite(String kind) {
        try (Database db = open(kind)) {
            JobStore store = new JdbcJobStore(db.dataSource());
            store.insert(queued("j", 0));
            Job mine = store.claimNext("w1", T0, T0.plusSeconds(30)).orElseThrow();
            assertThat(store.save(mine.checkpointed(100), "w1", T0.plusSeconds(40))).isTrue();
            assertThat(store.claimNext("w2", T0.plusSeconds(39), T0.plusSeconds(70))).isEmpty();

            Job takenOver = store.claimNext("w2", T0.plusSeconds(41), T0.plusSeconds(71)).orElseThrow();
            assertThat(takenOver.progress().checkpointStep()).isEqualTo(100);
            assertThat(store.save(mine.checkpointed(150), "w1", T0.plusSeconds(80))).isFalse();
            assertThat(store.renew(mine, "w1", T0.plusSeconds(80))).isEqualTo(JobStore.Renewal.LOST);
            assertThat(store.release(mine.finished(JobStatus.SUCCEEDED, T0, null), "w1")).isFalse();
            assertThat(store.find("j").orElseThrow().progress().checkpointStep()).isEqualTo(100);

            assertThat(store.release(takenOver.finished(JobStatus.SUCCEEDED, T0.plusSeconds(90), null), "w2")).isTrue();
            assertThat(store.find("j").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(store.claimNext("w3", T0.plusSeconds(1000), T0.plusSeconds(1030))).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void concurrentWorkersNeverClaimTheSameJob(String kind) throws Exception {
        try (Database db = open(kind)) {
            JobStore store = new JdbcJobStore(db.dataSource());
            int jobs = 40;
            IntStream.range(0, jobs).forEach(i -> store.insert(queued("job-" + i, i)));
            int workers = 4;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Future<List<String>>> claims = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String worker = "w" + w;
                claims.add(pool.submit(() -> {
                    go.await();
                    List<String> mine = new ArrayList<>();
                    for (Optional<Job> next; (next = store.claimNext(worker, T0.plusSeconds(100),
                            T0.plusSeconds(130))).isPresent(); ) {
                        mine.add(next.get().id());
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> c : claims) {
                all.addAll(c.get());
            }
            pool.shutdown();
            Set<String> distinct = new HashSet<>(all);
            assertThat(all).as("claimed twice: %s", all).hasSize(distinct.size());
            assertThat(distinct).hasSize(jobs);
            assertThat(store.count(JobStatus.RUNNING)).isEqualTo(jobs);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void cancellingReachesQueuedJobsAtOnceAndRunningOnesThroughTheirWorker(String kind) {
        try (Database db = open(kind)) {
            JobStore store = new JdbcJobStore(db.dataSource());
            store.insert(queued("running", 0));
            store.insert(queued("queued", 1));
            Job running = store.claimNext("w1", T0, T0.plusSeconds(30)).orElseThrow();

            assertThat(store.cancelQueued("queued", T0.plusSeconds(2)).orElseThrow().status())
                    .isEqualTo(JobStatus.CANCELLED);
            assertThat(store.cancelQueued("queued", T0.plusSeconds(3))).isEmpty();
            assertThat(store.cancelQueued("running", T0.plusSeconds(3))).isEmpty();

            assertThat(store.renew(running, "w1", T0.plusSeconds(35))).isEqualTo(JobStore.Renewal.HELD);
            store.requestCancel("running");
            assertThat(store.renew(running, "w1", T0.plusSeconds(40))).isEqualTo(JobStore.Renewal.CANCEL_REQUESTED);
            assertThat(store.claimNext("w2", T0.plusSeconds(10), T0.plusSeconds(40))).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRestartingWorkerTakesBackItsOwnJobsAtOnce(String kind) {
        try (Database db = open(kind)) {
            JobStore store = new JdbcJobStore(db.dataSource());
            store.insert(queued("mine", 0));
            store.insert(queued("theirs", 1));
            store.claimNext("w1", T0, T0.plus(Duration.ofHours(1)));
            store.claimNext("w2", T0, T0.plus(Duration.ofHours(1)));

            assertThat(store.requeueLeasedBy("w1")).extracting(Job::id).containsExactly("mine");
            assertThat(store.find("mine").orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
            assertThat(store.find("theirs").orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(store.claimNext("w1", T0.plusSeconds(1), T0.plusSeconds(31)).orElseThrow().id())
                    .isEqualTo("mine");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void claimsCountAttemptsAndDeathsInARowAndAGracefulStopEndsTheRow(String kind) {
        try (Database db = open(kind)) {
            JobStore store = new JdbcJobStore(db.dataSource());
            store.insert(queued("j", 0));
            Job first = store.claimNext("w1", T0, T0.plusSeconds(30)).orElseThrow();
            assertThat(first.claims().attempts()).isEqualTo(1);
            assertThat(first.claims().deaths()).as("a queued job's claim is no death").isZero();

            Job afterExpiry = store.claimNext("w2", T0.plusSeconds(31), T0.plusSeconds(61)).orElseThrow();
            assertThat(afterExpiry.claims().attempts()).isEqualTo(2);
            assertThat(afterExpiry.claims().deaths()).as("w1's lease ran out").isEqualTo(1);
            assertThat(store.find("j").orElseThrow().claims().deaths()).isEqualTo(1);

            assertThat(store.requeueLeasedBy("w2")).extracting(j -> j.claims().deaths()).containsExactly(2);
            Job third = store.claimNext("w2", T0.plusSeconds(32), T0.plusSeconds(62)).orElseThrow();
            assertThat(third.claims().attempts()).isEqualTo(3);
            assertThat(third.claims().deaths()).as("re-queued by w2's restart, then claimed from the queue")
                    .isEqualTo(2);

            assertThat(store.release(third.requeued(), "w2")).isTrue();
            Job fourth = store.claimNext("w1", T0.plusSeconds(33), T0.plusSeconds(63)).orElseThrow();
            assertThat(fourth.claims().attempts()).isEqualTo(4);
            assertThat(fourth.claims().deaths()).as("w2 stopped gracefully").isZero();
        }
    }
}
