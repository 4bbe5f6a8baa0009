package io.ganserve.engine;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of bytes that work reserves before it starts and gives back when it ends. Reservations
 * are granted first come, first served: a large one waiting (a training job) holds back the small
 * ones behind it, so a stream of sampling requests cannot starve it.
 *
 * <p>Counts KiB, not bytes, so that a pool of terabytes still fits a semaphore's int permits.
 */
public final class MemoryBudget {

    private static final long UNIT = 1024;

    private final String name;
    private final long capacityBytes;
    private final int capacityUnits;
    private final Semaphore units;
    private final AtomicLong refusals = new AtomicLong();

    /** @param name what the pool holds ("native", "heap"), for messages and metrics */
    public MemoryBudget(String name, long capacityBytes) {
        if (capacityBytes < UNIT) {
            throw new IllegalArgumentException("the " + name + " memory budget must be at least 1 KiB, was "
                    + capacityBytes + " bytes");
        }
        this.name = name;
        this.capacityUnits = (int) Math.min(Integer.MAX_VALUE, capacityBytes / UNIT);
        this.capacityBytes = capacityUnits * UNIT;
        this.units = new Semaphore(capacityUnits, true);
    }

    public String name() {
        return name;
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public long reservedBytes() {
        return (capacityUnits - (long) units.availablePermits()) * UNIT;
    }

    /** Whether work is waiting for memory now. */
    public boolean hasWaiters() {
        return units.hasQueuedThreads();
    }

    /** Reservations refused so far, whether they could never fit or did not fit in time. */
    public long refusals() {
        return refusals.get();
    }

    /** Whether {@code bytes} could ever be granted, when nothing else holds the pool. */
    public boolean canEverFit(long bytes) {
        return unitsFor(bytes) <= capacityUnits;
    }

    /**
     * Refuses at once what could never be granted, counted as a refusal like those of {@link #reserve}.
     *
     * @throws BudgetExceededException when {@code bytes} exceed the whole pool
     */
    public void checkCanEverFit(long bytes, String what) {
        if (!canEverFit(bytes)) {
            refusals.incrementAndGet();
            throw new BudgetExceededException(what, name, bytes, capacityBytes);
        }
    }

    /**
     * Reserves {@code bytes}, waiting at most {@code wait} for others to give theirs back.
     *
     * @param what the work, for the refusal's message ("64 samples of job 3f0c…")
     * @throws BudgetExceededException when {@code bytes} exceed the whole pool: it would never fit
     * @throws BudgetBusyException when the pool stayed too full for {@code wait}
     */
    public Reservation reserve(long bytes, Duration wait, String what) {
        int needed = unitsFor(bytes);
        if (needed > capacityUnits) {
            refusals.incrementAndGet();
            throw new BudgetExceededException(what, name, bytes, capacityBytes);
        }
        boolean granted;
        try {
            // timed, even for zero: the untimed tryAcquire would jump the queue
            granted = units.tryAcquire(needed, Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            granted = false;
        }
        if (!granted) {
            refusals.incrementAndGet();
            throw new BudgetBusyException(what, name, bytes, capacityBytes - reservedBytes(), capacityBytes);
        }
        return new Reservation(this, needed);
    }

    private static int unitsFor(long bytes) {
        long units = Math.max(1, (bytes + UNIT - 1) / UNIT);
        return (int) Math.min(Integer.MAX_VALUE, units);
    }

    /** Bytes held until closed; closing twice gives them back once. */
    public static final class Reservation implements AutoCloseable {

        private final MemoryBudget budget;
        private final int units;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Reservation(MemoryBudget budget, int units) {
            this.budget = budget;
            this.units = units;
        }

        public long bytes() {
            return units * UNIT;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                budget.units.release(units);
            }
        }
    }
}
