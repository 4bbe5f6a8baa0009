package io.ganserve.jobs;

import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.sampling.ModelInUseException;
import io.ganserve.sampling.NoModelException;
import io.ganserve.sampling.ServingModels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes models with their job's files, pins the default served model, keeps models from
 * deletion, and applies the retention policy ({@link RetentionProperties}) when a job finishes and
 * at start. A job still queued or training is never deleted (cancel it first), nor is the pinned
 * model, nor a kept one, nor a generator a request in this instance is using
 * ({@link ServingModels#retire}).
 */
public final class ModelLifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelLifecycle.class);

    /** Why a model was deleted, as metrics count it. */
    public enum Reason { REQUEST, RETENTION, QUOTA }

    /** What a deletion freed. */
    public record Deleted(String jobId, long freedBytes) {}

    private final JobService jobs;
    private final ModelRegistry registry;
    private final ServingModels serving;
    private final RetentionProperties retention;
    private final JobListener listener;
    private final ExecutorService retentionThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gan-retention");
        t.setDaemon(true);
        return t;
    });

    public ModelLifecycle(JobService jobs, ModelRegistry registry, ServingModels serving, RetentionProperties retention,
                          JobListener listener) {
        this.jobs = jobs;
        this.registry = registry;
        this.serving = serving;
        this.retention = retention;
        this.listener = listener;
    }

    /**
     * Deletes a finished job's model and every file it kept (checkpoints, history, progress grids,
     * evaluations). The job's record stays in the job store, so its configuration and final
     * losses can still be read.
     *
     * @throws JobNotFoundException when there is neither a record nor files for the job
     * @throws JobConflictException while the job is queued or training
     * @throws ModelInUseException while it is pinned or kept, or a request is using it
     */
    public Deleted delete(String jobId) {
        return delete(jobId, Reason.REQUEST);
    }

    private synchronized Deleted delete(String jobId, Reason reason) {
        Optional<Job> job = jobs.find(jobId);
        if (job.isEmpty() && !registry.jobIds().contains(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        if (job.isPresent() && !job.get().status().isFinished()) {
            throw new JobConflictException("job " + jobId + " is " + job.get().status()
                    + ": cancel it first (DELETE /jobs/" + jobId + "), then delete its model once it has stopped");
        }
        // the registry's pin too: an instance that does not serve never loads it into its ServingModels
        if (registry.pin().filter(p -> p.jobId().equals(jobId)).isPresent()) {
            throw new ModelInUseException("job " + jobId + " is pinned as the default served model: unpin it first "
                    + "(DELETE /models/default) or pin another (PUT /models/default)");
        }
        // read at the deletion, not only when retention chose: another instance may have kept it since
        if (registry.kept(jobId)) {
            throw new ModelInUseException("job " + jobId + "'s model is kept: stop keeping it first "
                    + "(DELETE /models/" + jobId + "/keep)");
        }
        serving.retire(jobId);
        long freed = registry.deleteJob(jobId);
        log.info("deleted the model and files of job {} ({} bytes, {})", jobId, freed, reason.name().toLowerCase());
        listener.modelDeleted(jobId, reason.name().toLowerCase(), freed);
        return new Deleted(jobId, freed);
    }

    /** @throws NoModelException when the job has no finished model */
    public void pin(String jobId) {
        serving.pin(requireModel(jobId, "pin"));
    }

    public void unpin() {
        serving.unpin();
    }

    /**
     * Keeps a finished model from retention and from deletion until {@link #unkeep}; under the
     * lock retention and deletion hold, so a pass under way finishes before the flag is set.
     *
     * @throws NoModelException when the job has no finished model
     */
    public synchronized void keep(String jobId) {
        requireModel(jobId, "keep");
        registry.keep(jobId);
        log.info("keeping the model of job {} from retention and deletion", jobId);
    }

    /** @throws NoModelException when the job has no finished model (a kept one cannot have lost it) */
    public synchronized void unkeep(String jobId) {
        requireModel(jobId, "stop keeping");
        if (registry.kept(jobId)) {
            registry.unkeep(jobId);
            log.info("no longer keeping the model of job {}: retention may delete it", jobId);
        }
    }

    private ModelInfo requireModel(String jobId, String action) {
        return registry.model(jobId).orElseThrow(() -> new NoModelException(
                "job " + jobId + " has no finished model to " + action + (jobs.find(jobId).isPresent()
                        ? " (it has not SUCCEEDED, or its model was deleted)" : ": there is no such job")));
    }

    /**
     * Applies retention on the retention thread (at start, and after each job, without holding up
     * the job's worker).
     */
    public void applyRetentionLater() {
        if (retains()) {
            retentionThread.execute(this::applyRetentionQuietly);
        }
    }

    private boolean retains() {
        return retention.keepModels() > 0 || retention.maxBytes().toBytes() > 0;
    }

    private void applyRetentionQuietly() {
        try {
            applyRetention();
        } catch (RuntimeException e) {
            log.warn("retention could not finish: {}", e.toString());
        }
    }

    /**
     * Deletes the finished models beyond the newest {@code keepModels}, then, while the registry is
     * over its quota, the oldest finished jobs' files. Protected: the pinned model, the kept ones,
     * the default served one, jobs queued or training. A model in use is skipped until the next time.
     *
     * @return the jobs deleted
     */
    public synchronized List<String> applyRetention() {
        if (!retains()) {
            return List.of();
        }
        Set<String> protectedJobs = new HashSet<>();
        serving.pinnedJob().ifPresent(protectedJobs::add);
        registry.pin().ifPresent(p -> protectedJobs.add(p.jobId()));
        protectedJobs.addAll(registry.keptJobs());
        serving.latestModel().ifPresent(m -> protectedJobs.add(m.jobId()));
        List<String> deleted = new ArrayList<>();
        List<ModelInfo> newestFirst = registry.models().stream()
                .sorted(Comparator.comparing(ModelInfo::createdAt).reversed()).toList();
        if (retention.keepModels() > 0) {
            for (ModelInfo old : newestFirst.subList(Math.min(retention.keepModels(), newestFirst.size()),
                    newestFirst.size())) {
                if (!protectedJobs.contains(old.jobId()) && tryDelete(old.jobId(), Reason.RETENTION)) {
                    deleted.add(old.jobId());
                }
            }
        }
        long quota = retention.maxBytes().toBytes();
        if (quota > 0) {
            long used = registry.jobsBytes();
            if (used > quota) {
                for (String jobId : oldestFinishedFirst()) {
                    if (used <= quota) {
                        break;
                    }
                    if (protectedJobs.contains(jobId) || deleted.contains(jobId)) {
                        continue;
                    }
                    long bytes = registry.jobBytes(jobId);
                    if (tryDelete(jobId, Reason.QUOTA)) {
                        deleted.add(jobId);
                        used -= bytes;
                    }
                }
                if (used > quota) {
                    log.warn("the registry holds {} bytes, over its quota of {} (ganserve.retention.max-bytes): "
                            + "what is left is pinned, kept, served by default, training, or in use", used, quota);
                }
            }
        }
        return deleted;
    }

    /** Finished jobs with files, oldest first: by the job's creation, else by the model's. */
    private List<String> oldestFinishedFirst() {
        record Candidate(String jobId, java.time.Instant at) {}
        List<Candidate> candidates = new ArrayList<>();
        for (String jobId : registry.jobIds()) {
            Optional<Job> job = jobs.find(jobId);
            if (job.isPresent()) {
                if (job.get().status().isFinished()) {
                    candidates.add(new Candidate(jobId, job.get().times().createdAt()));
                }
            } else {
                // a folder without a record (a registry older than the job store): only a model is known finished
                registry.model(jobId).ifPresent(m -> candidates.add(new Candidate(jobId, m.createdAt())));
            }
        }
        return candidates.stream().sorted(Comparator.comparing(Candidate::at)).map(Candidate::jobId).toList();
    }

    private boolean tryDelete(String jobId, Reason reason) {
        try {
            delete(jobId, reason);
            return true;
        } catch (ModelInUseException | JobConflictException busy) {
            log.info("retention skips job {} for now: {}", jobId, busy.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("retention could not delete job {}: {}", jobId, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        retentionThread.shutdownNow();
    }
}
