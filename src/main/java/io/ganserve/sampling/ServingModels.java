package io.ganserve.sampling;

import ai.djl.ndarray.NDManager;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.ServingPin;
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
 * The generators serving keeps in memory: the default model (the latest finished one, swapped
 * atomically when a newer job finishes, or the one pinned), plus a small cache of others asked for by job (a running job's newest
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
    private final ServingPrecision precision;
    private final java.util.Set<String> damaged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Jobs whose models were deleted (or are being): never loaded again. */
    private final java.util.Set<String> retired = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The job pinned as the default; null while the newest finished model is served. */
    private volatile String pinnedJob;
    /** A pin whose model could not be found, already warned about. */
    private String missingPin;

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
        this(registry, manager, cacheSize, events, budgets, batching, ServingPrecision.FLOAT32);
    }

    /** @param precision what each model's generator passes multiply in */
    public ServingModels(ModelRegistry registry, NDManager manager, int cacheSize, SamplingEvents events,
                         ResourceBudgets budgets, Batching batching, ServingPrecision precision) {
        this.precision = precision;
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
     * Follows the registry: serves the pinned model when one is pinned (by this instance or another
     * sharing the registry), else the newest finished model found on disk if it is newer than the
     * one served: how a server learns of a generator that another instance finished or pinned.
     */
    public synchronized void refreshFromRegistry() {
        Optional<ServingPin> pin = registry.pin();
        if (pin.isPresent()) {
            String job = pin.get().jobId();
            if (!job.equals(pinnedJob) || !job.equals(latestModel().map(ModelInfo::jobId).orElse(null))) {
                Optional<ModelInfo> model = registry.model(job).filter(m -> !retired.contains(m.jobId()));
                if (model.isEmpty()) {
                    if (!job.equals(missingPin)) { // said once, not at every look at the registry
                        log.warn("the pinned model {} is not in the registry; serving the newest instead", job);
                        missingPin = job;
                    }
                } else {
                    try {
                        swapDefault(loadFinal(model.get()), true);
                        return;
                    } catch (io.ganserve.registry.DamagedFileException e) {
                        log.warn("cannot serve the pinned model {}: {}; serving the newest instead", job, e.getMessage());
                    }
                }
            } else {
                return;
            }
        }
        boolean wasPinned = pinnedJob != null;
        pinnedJob = null;
        // after an unpin the served model may be older than others: the newest of all is served again
        java.time.Instant served = wasPinned ? java.time.Instant.MIN
                : latestModel().map(ModelInfo::createdAt).orElse(java.time.Instant.MIN);
        List<ModelInfo> newer = registry.models().stream()
                .filter(m -> m.createdAt().isAfter(served) && !damaged.contains(m.jobId() + "@" + m.createdAt())
                        && !retired.contains(m.jobId()))
                .sorted(Comparator.comparing(ModelInfo::createdAt).reversed())
                .toList();
        for (ModelInfo candidate : newer) {
            if (isDefault(candidate)) {
                if (wasPinned) {
                    events.defaultModelChanged(candidate, false);
                }
                return;
            }
            try {
                swapDefault(loadFinal(candidate), false);
                return;
            } catch (io.ganserve.registry.DamagedFileException e) {
                // remembered, so the registry watch does not read the same broken file every few seconds
                damaged.add(candidate.jobId() + "@" + candidate.createdAt());
                log.warn("not serving job {}: {}; trying the next newest model", candidate.jobId(), e.getMessage());
            }
        }
    }

    /**
     * Serves {@code model} from now on, freeing the one it replaces once its requests are done;
     * while a model is pinned, the pinned one stays the default and {@code model} is served by job only.
     */
    public synchronized void modelReady(ModelInfo model) {
        if (pinnedJob != null) {
            log.info("job {} finished; job {} stays the default served model (pinned)", model.jobId(), pinnedJob);
            return;
        }
        swapDefault(loadFinal(model), false);
    }

    /**
     * Pins {@code model} as the one served by default until {@link #unpin()}, newer models
     * notwithstanding; the swap is the same single reference change as a newer model's, so a
     * request gets either the old default or the new one, never none. The pin is kept in the
     * registry for restarts and the other instances.
     */
    public synchronized void pin(ModelInfo model) {
        if (retired.contains(model.jobId())) {
            throw new NoModelException("job " + model.jobId() + " has no model: it was deleted");
        }
        GeneratorSnapshot fresh = isDefault(model) ? null : loadFinal(model);
        try {
            registry.savePin(new ServingPin(model.jobId(), java.time.Instant.now()));
        } catch (RuntimeException e) {
            if (fresh != null) {
                fresh.release();
            }
            throw e;
        }
        if (fresh != null) {
            swapDefault(fresh, true);
        } else {
            pinnedJob = model.jobId();
            events.defaultModelChanged(model, true);
            log.info("pinned job {} as the default served model", model.jobId());
        }
    }

    /** Serves the newest finished model by default again. */
    public synchronized void unpin() {
        registry.clearPin();
        refreshFromRegistry();
    }

    /** The job pinned as the default served model; empty when the newest is served. */
    public Optional<String> pinnedJob() {
        return Optional.ofNullable(pinnedJob);
    }

    private boolean isDefault(ModelInfo model) {
        GeneratorSnapshot current = latest.get();
        return current != null && current.model().jobId().equals(model.jobId())
                && current.model().createdAt().equals(model.createdAt());
    }

    /** The one reference change every default swap is: requests read either the old snapshot or the new. */
    private void swapDefault(GeneratorSnapshot fresh, boolean pinned) {
        ModelInfo model = fresh.model();
        GeneratorSnapshot previous = latest.getAndSet(fresh);
        pinnedJob = pinned ? model.jobId() : null;
        if (previous != null) {
            previous.release();
        }
        events.defaultModelChanged(model, pinned);
        log.info("serving generator of job {} by default{} ({} on {}, step {})", model.jobId(),
                pinned ? " (pinned)" : "", model.config().architecture().id(), model.dataset(), model.step());
    }

    /**
     * Takes every loaded copy of a job's generators out of serving before its files are deleted,
     * and keeps it from being loaded again. The default model is first replaced by the newest other
     * one (or none), then freed only if no request holds it; a copy a request holds is put back.
     *
     * @throws ModelInUseException when the job is pinned, or a request in flight is using one of its generators
     */
    public synchronized void retire(String jobId) {
        if (jobId.equals(pinnedJob)) {
            throw new ModelInUseException("job " + jobId + " is pinned as the default served model: "
                    + "unpin it first (DELETE /models/default) or pin another (PUT /models/default)");
        }
        String prefix = jobId + "@";
        List<String> keys = cache.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        GeneratorSnapshot current = latest.get();
        boolean isDefault = current != null && current.model().jobId().equals(jobId);
        if ((isDefault && current.inUse()) || keys.stream().anyMatch(k -> cache.get(k).inUse())) {
            throw inUse(jobId);
        }
        retired.add(jobId);
        if (isDefault) {
            GeneratorSnapshot replacement = newestExcept(jobId);
            latest.set(replacement);
            // a request that read the old reference before the swap either acquired it already (the
            // retirement fails and the old default comes back) or fails to and reads the replacement
            if (!current.tryRetire()) {
                latest.set(current);
                if (replacement != null) {
                    replacement.release();
                }
                retired.remove(jobId);
                throw inUse(jobId);
            }
            if (replacement != null) {
                events.defaultModelChanged(replacement.model(), false);
                log.info("serving generator of job {} by default: job {} was deleted", replacement.model().jobId(), jobId);
            } else {
                events.defaultModelChanged(null, false);
            }
        }
        // cached copies are leased under this object's lock only, which is held: none can be taken meanwhile
        for (String key : keys) {
            cache.remove(key).release();
        }
    }

    private static ModelInUseException inUse(String jobId) {
        return new ModelInUseException("a request in flight is using the generator of job " + jobId
                + "; retry when it has finished");
    }

    /** The newest finished model other than {@code jobId}, loaded; null when there is none that loads. */
    private GeneratorSnapshot newestExcept(String jobId) {
        List<ModelInfo> others = registry.models().stream()
                .filter(m -> !m.jobId().equals(jobId) && !retired.contains(m.jobId())
                        && !damaged.contains(m.jobId() + "@" + m.createdAt()))
                .sorted(Comparator.comparing(ModelInfo::createdAt).reversed())
                .toList();
        for (ModelInfo candidate : others) {
            try {
                return loadFinal(candidate);
            } catch (io.ganserve.registry.DamagedFileException e) {
                damaged.add(candidate.jobId() + "@" + candidate.createdAt());
                log.warn("not serving job {}: {}", candidate.jobId(), e.getMessage());
            }
        }
        return null;
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
        if (retired.contains(jobId)) {
            throw new NoModelException("job " + jobId + " has no model: it was deleted");
        }
        GeneratorSnapshot current = latest.get();
        if (current != null && current.model().jobId().equals(jobId) && current.tryAcquire()) {
            return new Lease(current);
        }
        Optional<ModelInfo> finished = registry.model(jobId);
        if (finished.isPresent()) {
            return fromCache(jobId + "@final", () -> loadFinal(finished.get()));
        }
        if (registry.translatorRun(jobId).isPresent()) {
            throw new NoModelException("job " + jobId + " trains a translator (architecture cyclegan), which draws "
                    + "nothing from noise: translate with POST /translations?job=" + jobId + " or look at GET /jobs/"
                    + jobId + "/translations");
        }
        if (registry.classifierRun(jobId).isPresent()) {
            throw new NoModelException("job " + jobId + " trains a semi-supervised classifier (architecture "
                    + "semi-supervised), whose generator is not served: classify images with POST /classifications?job="
                    + jobId + ", and see its test accuracy in GET /jobs/" + jobId + "/evaluations");
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
        if (retired.contains(jobId)) {
            throw new NoModelException("job " + jobId + " has no model: it was deleted");
        }
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
        if (retired.contains(key.substring(0, key.indexOf('@')))) {
            throw new NoModelException("job " + key.substring(0, key.indexOf('@')) + " has no model: it was deleted");
        }
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
            snapshot.runIn(precision.forModel(model.network()));
            return snapshot;
        }
        long bytes = (long) Float.BYTES * io.ganserve.gan.NetworkCost.of(model.network()).generatorParameters();
        String what = "the generator of job " + model.jobId();
        MemoryBudget.Reservation reservation = budgets.requestMemory().reserve(bytes, budgets.requestWait(), what);
        try {
            GeneratorSnapshot snapshot = load.get();
            AutoCloseable held = reservation;
            long kernels = snapshot.parameterBytes() - bytes; // the transposed convolutions' kernels, made at load
            if (kernels > 0) {
                try {
                    MemoryBudget.Reservation more = budgets.requestMemory().reserve(kernels, budgets.requestWait(), what);
                    held = () -> {
                        more.close();
                        reservation.close();
                    };
                } catch (RuntimeException e) {
                    snapshot.release();
                    throw e;
                }
            }
            snapshot.holding(held, budgets.requestMemory(), budgets.requestWait());
            snapshot.batchedBy(batching, events);
            snapshot.runIn(precision.forModel(model.network()));
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
