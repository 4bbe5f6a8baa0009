package io.ganserve.jobs;

import io.ganserve.registry.ModelRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Job records in a relational database (H2 or PostgreSQL; schema {@code db/migration}, applied by
 * Flyway). A claim locks the oldest claimable row with {@code FOR UPDATE SKIP LOCKED}, so concurrent
 * workers each get a different job without waiting on one another; every later write of the
 * worker is conditional on {@code worker_id}, which is its lease.
 */
public final class JdbcJobStore implements JobStore {

    private static final String CLAIMABLE = "(status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < ?))";
    private static final String COLUMNS = "record, status";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json = ModelRegistry.storageMapper();
    private final RowMapper<Job> rows = (rs, i) -> json.readValue(rs.getString("record"), Job.class);

    public JdbcJobStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public void insert(Job job) {
        jdbc.update("INSERT INTO jobs (id, status, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?)",
                job.id(), job.status().name(), job.times().createdAt().toEpochMilli(),
                job.times().createdAt().toEpochMilli(),
                json.writeValueAsString(job));
    }

    @Override
    public boolean insertIfAbsent(Job job) {
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            if (find(job.id()).isPresent()) {
                return false;
            }
            insert(job);
            return true;
        }));
    }

    @Override
    public Optional<Job> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", rows, id).stream().findFirst();
    }

    @Override
    public List<Job> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs ORDER BY created_at DESC, id DESC", rows);
    }

    @Override
    public long count(JobStatus status) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE status = ?", Long.class, status.name());
        return n == null ? 0 : n;
    }

    @Override
    public Optional<Job> claimNext(String workerId, Instant now, Instant leaseUntil) {
        return transaction.execute(tx -> {
            Optional<Job> next = jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE " + CLAIMABLE
                    + " ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED", rows, now.toEpochMilli())
                    .stream().findFirst();
            if (next.isEmpty()) {
                return Optional.<Job>empty();
            }
            // still RUNNING here means its worker's lease ran out without a word from it: the worker died
            Job found = next.get();
            Job claimed = (found.status() == JobStatus.RUNNING ? found.died() : found).claimed(now);
            int updated = jdbc.update("UPDATE jobs SET status = ?, worker_id = ?, lease_until = ?, updated_at = ?,"
                            + " claims = claims + 1, record = ? WHERE id = ? AND " + CLAIMABLE,
                    claimed.status().name(), workerId, leaseUntil.toEpochMilli(), now.toEpochMilli(),
                    json.writeValueAsString(claimed), claimed.id(), now.toEpochMilli());
            return updated == 1 ? Optional.of(claimed) : Optional.<Job>empty();
        });
    }

    @Override
    public boolean save(Job job, String workerId, Instant leaseUntil) {
        return jdbc.update("UPDATE jobs SET status = ?, lease_until = ?, updated_at = ?, record = ?"
                        + " WHERE id = ? AND worker_id = ?",
                job.status().name(), leaseUntil.toEpochMilli(), System.currentTimeMillis(),
                json.writeValueAsString(job), job.id(), workerId) == 1;
    }

    @Override
    public Renewal renew(Job job, String workerId, Instant leaseUntil) {
        if (!save(job, workerId, leaseUntil)) {
            return Renewal.LOST;
        }
        Boolean cancel = jdbc.queryForObject("SELECT cancel_requested FROM jobs WHERE id = ?", Boolean.class, job.id());
        return Boolean.TRUE.equals(cancel) ? Renewal.CANCEL_REQUESTED : Renewal.HELD;
    }

    @Override
    public boolean release(Job job, String workerId) {
        return jdbc.update("UPDATE jobs SET status = ?, worker_id = NULL, lease_until = NULL, updated_at = ?,"
                        + " cancel_requested = FALSE, record = ? WHERE id = ? AND worker_id = ?",
                job.status().name(), System.currentTimeMillis(), json.writeValueAsString(job), job.id(),
                workerId) == 1;
    }

    @Override
    public Optional<Job> cancelQueued(String id, Instant now) {
        return transaction.execute(tx -> {
            Optional<Job> queued = jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE id = ? AND status = 'QUEUED'"
                    + " FOR UPDATE", rows, id).stream().findFirst();
            if (queued.isEmpty()) {
                return Optional.<Job>empty();
            }
            Job cancelled = queued.get().finished(JobStatus.CANCELLED, now, null);
            jdbc.update("UPDATE jobs SET status = ?, updated_at = ?, record = ? WHERE id = ?",
                    cancelled.status().name(), now.toEpochMilli(), json.writeValueAsString(cancelled), id);
            return Optional.of(cancelled);
        });
    }

    @Override
    public void requestCancel(String id) {
        jdbc.update("UPDATE jobs SET cancel_requested = TRUE WHERE id = ? AND status = 'RUNNING'", id);
    }

    @Override
    public List<Job> requeueLeasedBy(String workerId) {
        return transaction.execute(tx -> {
            List<Job> held = jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE status = 'RUNNING' AND worker_id = ?"
                    + " FOR UPDATE", rows, workerId);
            List<Job> requeuedJobs = new ArrayList<>();
            for (Job job : held) {
                Job requeued = job.died();
                requeuedJobs.add(requeued);
                jdbc.update("UPDATE jobs SET status = ?, worker_id = NULL, lease_until = NULL, updated_at = ?,"
                                + " record = ? WHERE id = ?",
                        requeued.status().name(), System.currentTimeMillis(), json.writeValueAsString(requeued),
                        job.id());
            }
            return requeuedJobs;
        });
    }
}
