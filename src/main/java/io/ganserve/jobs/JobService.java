package io.ganserve.jobs;

import io.ganserve.engine.GradientCollectors;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import ai.djl.ndarray.NDManager;
import io.ganserve.data.DataKind;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetInfo;
import io.ganserve.engine.BudgetExceededException;
import io.ganserve.engine.DiskSpace;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.gan.cyclegan.TranslatorCost;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts, prices, finds and cancels training jobs. Records live in a {@link JobStore} shared by
 * every instance; any instance accepts jobs, and the instances with the training role claim them,
 * oldest first, through their {@link JobWorkers}.
 */
public final class JobService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobStore store;
    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final TrainingProperties properties;
    private final boolean trains;
    private final JobListener listener;
    private final Clock clock;
    private final ResourceBudgets budgets;
    private final DiskSpace disk;
    private final JobWorkers workers;
    private final JobPreview preview;

    /**
     * @param trains whether this instance trains (claims jobs); one that does not only accepts and reports them
     * @param evaluator scores runs as their plans ask; null scores nothing
     * @param precision what a job's {@code precision} is resolved against
     */
    public JobService(JobStore store, ModelRegistry registry, DatasetCatalog catalog, TrainingProperties properties,
                      String workerId, boolean trains, JobListener listener, NDManager engineManager, Clock clock,
                      Evaluator evaluator, ResourceBudgets budgets, DiskSpace disk, PrecisionDefaults precision) {
        this.store = store;
        this.budgets = budgets;
        this.disk = disk;
        this.registry = registry;
        this.catalog = catalog;
        this.preview = new JobPreview(catalog, precision);
        this.properties = properties;
        this.trains = trains;
        this.listener = listener;
        this.clock = clock;
        this.workers = new JobWorkers(store, catalog, properties, workerId, listener, clock,
                new TrainingRun(registry, catalog, engineManager, GradientCollectors.lock(), clock, evaluator), budgets,
                this::estimate);
    }

    /**
     * Takes over records an older version kept as files, re-queues the jobs this worker held when it
     * last stopped, and starts claiming jobs.
     */
    public synchronized void start() {
        registry.sweepTemporaryFiles(properties.leaseDuration());
        registry.loadJobRecords(Job.class, j -> j.id() != null && j.status() != null && j.config() != null
                && j.times().createdAt() != null).forEach(job -> {
            if (store.insertIfAbsent(job.status().isFinished() ? job : job.requeued())) {
                log.info("job {} moved from the file registry into the job store", job.id());
            }
        });
        if (trains) {
            workers.start();
        }
    }

    public Job submit(JobRequest request) {
        JobPreview.Resolved resolved = preview.resolveWithDataset(request);
        TrainingConfig config = resolved.config();
        DatasetInfo dataset = resolved.dataset();
        FineTuning.Start fineTuning = request.parent() == null ? null : new FineTuning(registry).check(request.parent(),
                request.steps(), config, dataset, plannedNetwork(config, dataset), store::find);
        if (fineTuning != null) {
            config = fineTuning.config();
        }
        JobCost cost = estimate(config, dataset);
        MemoryBudget memory = budgets.backgroundMemory();
        if (!memory.canEverFit(cost.memoryBytes())) {
            throw new BudgetExceededException("this job (" + describe(config) + ")", memory.name(), cost.memoryBytes(),
                    memory.capacityBytes());
        }
        disk.ensureRoom(properties.dataDir(), cost.diskBytes(properties.keepCheckpoints()),
                "this job's checkpoints, generators, history and progress grids");
        synchronized (this) {
            // a bound, not a count kept exact across instances: several may admit a job at the same moment
            if (store.count(JobStatus.QUEUED) >= properties.queueCapacity()) {
                throw new QueueFullException(properties.queueCapacity());
            }
            Job job = Job.queued(UUID.randomUUID().toString(), config, clock.instant());
            if (fineTuning != null) {
                // the parent's final state becomes the child's own first checkpoint, so it resumes from there
                copyParentCheckpoint(fineTuning, job.id());
            }
            store.insert(job);
            workers.workArrived();
            return job;
        }
    }

    /** The job's files found damaged and moved aside, for its state; none for a job without a folder. */
    public List<io.ganserve.registry.DamagedFile> damagedFiles(String jobId) {
        return registry.damagedFiles(jobId);
    }

    /**
     * The parent may be deleted (DELETE /models/{id} or retention, here or on another instance
     * sharing the registry) after {@link FineTuning#check} found it: the copy then finds no file,
     * which is the request's problem (its parent), not the server's. The child's half-made folder
     * goes, as no record will name it.
     */
    private void copyParentCheckpoint(FineTuning.Start fineTuning, String childId) {
        io.ganserve.registry.Checkpoint from = fineTuning.checkpoint();
        try {
            registry.copyCheckpoint(from, childId);
        } catch (RuntimeException e) {
            registry.deleteJob(childId);
            if (!java.nio.file.Files.isRegularFile(from.file()) || registry.model(from.jobId()).isEmpty()) {
                throw new InvalidJobException("parent", "job " + from.jobId() + " was deleted while this job was "
                        + "being created: its final checkpoint (step " + from.step() + ") is gone");
            }
            throw e;
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
        if (config.trainsTranslator()) {
            TranslatorSpec spec = TranslationRun.spec(config, dataset.channels() > 0 ? dataset.channels() : 3);
            return JobCost.translation(config, TranslatorCost.of(spec), spec.imageLength(),
                    TranslationRun.EVALUATION_PAIRS).plus(listener.costOf(config, null));
        }
        if (config.trainsClassifier()) {
            int channels = dataset.channels() > 0 ? dataset.channels() : 3;
            return JobCost.semiSupervised(config, SemiSupervisedRun.classifierSpec(config, channels),
                    SemiSupervisedRun.generatorSpec(config, channels), SemiSupervisedRun.EVALUATION_CHUNK)
                    .plus(listener.costOf(config, null));
        }
        NetworkSpec spec = plannedNetwork(config, dataset);
        return JobCost.of(config, spec).plus(listener.costOf(config, spec));
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
        if (config.trainsTranslator()) {
            return "cyclegan " + config.imageSize() + " px, generatorFilters " + config.translation().generatorFilters()
                    + ", batch " + config.batchSize();
        }
        if (config.trainsClassifier()) {
            return "semi-supervised " + config.imageSize() + " px, featureMaps " + config.featureMaps() + ", batch "
                    + config.batchSize() + ", with its labels-alone baseline";
        }
        return config.architecture().id() + (config.architecture() == io.ganserve.gan.Architecture.MLP
                ? " " + config.hiddenUnits() + " x " + config.hiddenLayers()
                : " " + config.imageSize() + " px, featureMaps " + config.featureMaps())
                + ", batch " + config.batchSize();
    }

    public Optional<Job> find(String id) {
        Optional<Job> local = workers.live(id);
        return local.isPresent() ? local : store.find(id);
    }

    public Job get(String id) {
        return find(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    /** Newest first. */
    public List<Job> list() {
        return store.list().stream().map(workers::freshest).toList();
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
            workers.cancel(id);
            return job;
        }
        throw new JobConflictException("job " + id + " has already finished (" + job.status()
                + "); only queued or running jobs can be cancelled");
    }

    /** Asks running jobs to checkpoint and stop; they go back to the queue and resume on the next claim. */
    @Override
    public void close() {
        workers.close();
    }

    /**
     * Stops at once and writes nothing more, as if the process were killed: the leases stay until
     * they expire. For tests of what other workers do after a crash.
     */
    void halt() {
        workers.halt();
    }
}
