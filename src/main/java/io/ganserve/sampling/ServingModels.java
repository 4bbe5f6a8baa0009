package io.ganserve.sampling;

import ai.djl.ndarray.NDManager;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.ResourceBudgets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generators serving keeps in memory: the latest finished model, swapped atomically when a
 * newer job finishes, plus a small cache of others asked for by job (a running job's newest
 * checkpoint, or an older finished model). Requests hold a {@link Lease}; a replaced snapshot is
 * freed once its last request is done.
 */
public final class ServingModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServingModels.class);

    private final ModelRegistry registry;
    private final NDManager manager;
    private final int cacheSize;
    private final AtomicReference<GeneratorSnapshot> latest = new AtomicReference<>();
    private final Map<String, GeneratorSnapshot> cache;
    private final SamplingEvents events;
    private final ResourceBudgets budgets;
    private final Batching batching;
    private final java.util.Set<String> damaged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ServingModels(ModelRegistry registry, NDManager manager, int cacheSize) {
        this(registry, manager, cacheSize, SamplingEvents.NONE, null);
    }

    /** @param budgets where each loaded generator reserves its weights; null reserves nothing */
    public ServingModels(ModelRegistry registry, NDManager manager, int cacheSize, SamplingEvents events,
                         ResourceBudgets budgets) {
        this(registry, manager, cacheSize, events, budgets, Batching.DEFAULT);
    }

    /** @param batching how concurrent requests' generator passes run together */
    public ServingModels(ModelRegistry registry, NDManager manager, int cacheSize, SamplingEvents events,
                         ResourceBudgets budgets, Batching batching) {
        this.batching = batching;
        this.budgets = budgets;
        this.registry = registry;
        this.manager = manager;
        this.cacheSize = cacheSize;
        this.events = events;
        this.cache = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** A snapshot held for the length of one request. */
    public record Lease(GeneratorSnapshot snapshot) implements AutoCloseable {
        @Override
        public void close() {
            snapshot.release();
        }
    }

    /**
     * Serves the newest finished model found on disk, if it is newer than the one served: how a
     * server learns of a generator that another instance finished.
     */
    public synchronized void refreshFromRegistry() {
        java.time.Instant served = latestModel().map(ModelInfo::createdAt).orElse(java.time.Instant.MIN);
        List<ModelInfo> newer = registry.models().stream()
                .filter(m -> m.createdAt().isAfter(served) && !damaged.contains(m.jobId() + "@" + m.createdAt()))
                .sorted(Comparator.comparing(ModelInfo::createdAt).reversed())
                .toList();
        for (ModelInfo candidate : newer) {
            try {
                modelReady(candidate);
                return;
            } catch (io.ganserve.registry.DamagedFileException e) {
                // remembered, so the registry watch does not read the same broken file every few seconds
                damaged.add(candidate.jobId() + "@" + candidate.createdAt());
                log.warn("not serving job {}: {}; trying the next newest model", candidate.jobId(), e.getMessage());
            }
        }
    }

    /** Serves {@code model} from now on, freeing the one it replaces once its requests are done. */
    public void modelReady(ModelInfo model) {
        GeneratorSnapshot fresh = loadFinal(model);
        GeneratorSnapshot previous = latest.getAndSet(fresh);
        if (previous != null) {
            previous.release();
        }
        log.info("serving generator of job {} ({} on {}, step {})", model.jobId(),
                model.config().architecture().id(), model.dataset(), model.step());
    }

    public Optional<ModelInfo> latestModel() {
        GeneratorSnapshot current = latest.get();
        return current == null ? Optional.empty() : Optional.of(current.model());
    }

    /** Native memory held by the generators loaded for serving. */
    public synchronized long heldBytes() {
        GeneratorSnapshot current = latest.get();
        long cached = cache.values().stream().filter(s -> s != current).mapToLong(GeneratorSnapshot::parameterBytes).sum();
        return cached + (current == null ? 0 : current.parameterBytes());
    }

    /** The latest finished generator. */
    public Lease leaseLatest() {
        while (true) {
            GeneratorSnapshot current = latest.get();
            if (current == null) {
                throw new NoModelException("no trained generator yet: POST /jobs to train one, then retry when it has SUCCEEDED");
            }
            if (current.tryAcquire()) {
                return new Lease(current);
            }
            // lost a race with a swap: the next read sees the new snapshot
        }
    }

    /** A job's final generator, or, while it trains, its newest checkpoint. */
    public Lease lease(String jobId) {
        GeneratorSnapshot current = latest.get();
        if (current != null && current.model().jobId().equals(jobId) && current.tryAcquire()) {
            return new Lease(current);
        }
        Optional<ModelInfo> finished = registry.model(jobId);
        if (finished.isPresent()) {
            return fromCache(jobId + "@final", () -> loadFinal(finished.get()));
        }
        if (registry.hasModelDescription(jobId) && !registry.hasGenerator(jobId)) {
            throw new io.ganserve.registry.DamagedFileException(jobId, "jobs/" + jobId + "/generator.bin",
                    "the file is missing, though jobs/" + jobId + "/model.json describes it", null);
        }
        Checkpoint checkpoint = registry.latestCheckpoint(jobId).orElseThrow(() -> new NoModelException(
                "job " + jobId + " has no checkpoint yet; retry after its first checkpoint"));
        ModelInfo run = registry.runInfo(jobId).orElseThrow(() -> new NoModelException(
                "job " + jobId + " has no generator description yet"));
        return fromCache(jobId + "@" + checkpoint.step(), () -> loadCheckpoint(run, checkpoint));
    }

    /** The generator a job kept as its best by its keep-best score (see the job's evaluation plan). */
    public Lease leaseBest(String jobId) {
        ModelRegistry.BestModel best = registry.best(jobId).orElseThrow(() -> new NoModelException(
                "job " + jobId + " has kept no best generator yet: it is kept at the job's evaluations "
                        + "(evaluateEvery, and at the end of the run)"));
        ModelInfo model = best.model();
        return fromCache(jobId + "@best@" + model.step(), () -> {
            GeneratorSnapshot snapshot = reserved(model, () -> registry.readBestGenerator(jobId,
                    in -> GeneratorSnapshot.load(model, model.step(), manager, in)));
            events.modelLoaded(model, model.step());
            return snapshot;
        });
    }

    private synchronized Lease fromCache(String key, java.util.function.Supplier<GeneratorSnapshot> loader) {
        GeneratorSnapshot snapshot = cache.get(key);
        if (snapshot == null) {
            snapshot = loader.get();
            cache.put(key, snapshot);
            evictBeyond(cacheSize);
        }
        snapshot.tryAcquire(); // the cache's own reference keeps it above zero while cached
        return new Lease(snapshot);
    }

    private void evictBeyond(int size) {
        var it = cache.entrySet().iterator();
        while (cache.size() > size && it.hasNext()) {
            GeneratorSnapshot evicted = it.next().getValue();
            it.remove();
            evicted.release();
        }
    }

    private GeneratorSnapshot loadFinal(ModelInfo model) {
        GeneratorSnapshot snapshot = reserved(model, () -> registry.readGenerator(model.jobId(),
                in -> GeneratorSnapshot.load(model, model.step(), manager, in)));
        events.modelLoaded(model, model.step());
        return snapshot;
    }

    private GeneratorSnapshot loadCheckpoint(ModelInfo run, Checkpoint checkpoint) {
        // A checkpoint's state begins with the generator's parameters; the rest is left unread.
        GeneratorSnapshot snapshot = reserved(run, () -> registry.readCheckpoint(checkpoint,
                in -> GeneratorSnapshot.load(run, checkpoint.step(), manager, in)));
        events.modelLoaded(run, checkpoint.step());
        return snapshot;
    }

    /**
     * Loads weights under a reservation of their size, held until they are freed: a cache of large
     * generators counts against the budget like the requests that use them.
     */
    private GeneratorSnapshot reserved(ModelInfo model, java.util.function.Supplier<GeneratorSnapshot> load) {
        if (budgets == null) {
            GeneratorSnapshot snapshot = load.get();
            snapshot.batchedBy(batching, events);
            return snapshot;
        }
        long bytes = (long) Float.BYTES * io.ganserve.gan.NetworkCost.of(model.network()).generatorParameters();
        MemoryBudget.Reservation reservation = budgets.requestMemory().reserve(bytes, budgets.requestWait(),
                "the generator of job " + model.jobId());
        try {
            GeneratorSnapshot snapshot = load.get();
            snapshot.holding(reservation, budgets.requestMemory(), budgets.requestWait());
            snapshot.batchedBy(batching, events);
            return snapshot;
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        evictBeyond(0);
        GeneratorSnapshot current = latest.getAndSet(null);
        if (current != null) {
            current.release();
        }
    }
}
