package io.ganserve.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where job records live, shared by every instance of the service. A worker owns a job it trains
 * through a lease: it claims the job, renews the lease while it trains, and every write it makes is
 * fenced by it, so a worker that lost its lease (it stalled, another took the job over) can no
 * longer overwrite the new owner's record.
 */
public interface JobStore {

    /** What a lease holder learns when it renews. */
    enum Renewal { HELD, CANCEL_REQUESTED, LOST }

    void insert(Job job);

    /** Writes a record of a job that has none (records migrated from the file registry). */
    boolean insertIfAbsent(Job job);

    Optional<Job> find(String id);

    /** Newest first. */
    List<Job> list();

    long count(JobStatus status);

    /**
     * Claims the oldest job that is queued, or running under a lease that expired (its worker died),
     * for {@code workerId} until {@code leaseUntil}; the claimed record is RUNNING. Two callers never
     * claim the same job. Taking over an expired lease counts a death ({@link Job#died}).
     */
    Optional<Job> claimNext(String workerId, Instant now, Instant leaseUntil);

    /** The lease holder's write of its job's record, renewing the lease; false when the lease is not its own. */
    boolean save(Job job, String workerId, Instant leaseUntil);

    /** {@link #save}, and whether someone asked to cancel the job meanwhile. */
    Renewal renew(Job job, String workerId, Instant leaseUntil);

    /** The lease holder's last write: a finished or re-queued record; the lease ends. */
    boolean release(Job job, String workerId);

    /** Cancels a job that is still queued; empty when it is not (a worker claimed it, or it ended). */
    Optional<Job> cancelQueued(String id, Instant now);

    /** Asks the worker training a job to stop it; it learns so at its next renewal. */
    void requestCancel(String id);

    /**
     * Re-queues the jobs leased to {@code workerId}: called by a worker starting up, whose earlier
     * incarnation died holding them, so they resume at once instead of after the lease runs out. Each
     * counts a death ({@link Job#died}); the re-queued records are returned.
     */
    List<Job> requeueLeasedBy(String workerId);
}
