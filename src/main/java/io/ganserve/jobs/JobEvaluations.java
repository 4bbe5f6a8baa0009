package io.ganserve.jobs;

import io.ganserve.evaluation.EvaluationCost;
import io.ganserve.evaluation.Evaluator;
import io.ganserve.registry.Scores;
import io.ganserve.engine.BudgetExceededException;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.gan.LatentInputs;
import java.time.Duration;
import io.ganserve.sampling.GeneratorSnapshot;
import io.ganserve.sampling.ServingModels;
import io.ganserve.storage.InsufficientStorageException;
import io.ganserve.storage.OutOfSpace;
import io.ganserve.registry.Evaluation;
import io.ganserve.registry.ModelRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluations a user asks for: scored in the background on the job's served generator (its final
 * one, or while it trains its newest checkpoint), recorded in the registry beside the ones made
 * during training. At most {@code queueCapacity} wait behind the one being scored; more are refused
 * ({@link EvaluationQueueFullException}) rather than piled up in memory.
 */
public final class JobEvaluations implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobEvaluations.class);

    private final JobService jobs;
    private final ServingModels models;
    private final ModelRegistry registry;
    private final Evaluator evaluator;
    private final JobListener listener;
    private final Clock clock;
    private final ResourceBudgets budgets;
    /** How long a queued evaluation waits for memory that training and requests hold before it fails. */
    private static final Duration MEMORY_WAIT = Duration.ofMinutes(10);
    private final int queueCapacity;
    /** Evaluations requested before this are not this process's. */
    private final Instant startedAt;
    /** Accepted and not yet finished: the one being scored and those waiting. */
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gan-evaluator");
        t.setDaemon(true);
        return t;
    });

    public JobEvaluations(JobService jobs, ServingModels models, ModelRegistry registry, Evaluator evaluator,
                          JobListener listener, Clock clock, int queueCapacity,
                          ResourceBudgets budgets) {
        this.budgets = budgets;
        this.jobs = jobs;
        this.models = models;
        this.registry = registry;
        this.evaluator = evaluator;
        this.listener = listener;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
        this.startedAt = clock.instant();
    }

    /**
     * Ends the evaluations a killed process left RUNNING: nothing scores them any more, and a record
     * that says RUNNING forever would have clients wait forever. They are failed, not re-run: a
     * re-run would score a generator the client may not have meant (training moved on) and could
     * kill the process again if scoring was what killed it. Another instance sharing the data
     * directory that is still scoring one of them overwrites this with its result when it finishes.
     * Only those requested before this object was made: the ones it accepted itself are being scored.
     *
     * @return how many were failed
     */
    public int failInterrupted() {
        int failed = 0;
        for (Job job : jobs.list()) {
            for (Evaluation e : registry.evaluations(job.id())) {
                if (Evaluation.RUNNING.equals(e.status()) && e.requestedAt().isBefore(startedAt)) {
                    registry.saveEvaluation(e.failed("interrupted by a restart; not scored, ask again", clock.instant()));
                    failed++;
                }
            }
        }
        if (failed > 0) {
            log.info("{} evaluation(s) left RUNNING by an earlier process marked FAILED", failed);
        }
        return failed;
    }

    /**
     * Starts scoring job {@code jobId}'s generator on {@code samples} samples drawn with {@code seed};
     * the returned record is RUNNING and is replaced in the registry when it ends.
     *
     * @throws io.ganserve.jobs.JobNotFoundException for an unknown job
     * @throws io.ganserve.sampling.NoModelException when the job has no generator to score yet
     * @throws EvaluationQueueFullException when {@code queueCapacity} evaluations already wait
     * @throws InsufficientStorageException when the disk has no room for its record
     */
    public Evaluation request(String jobId, Integer samples, Long seed) {
        Job job = jobs.get(jobId);
        if (job.config().trainsTranslator()) {
            throw new JobConflictException("job " + jobId + " trains a translator: it is scored on held-out pairs at "
                    + "the end of training (and every evaluateEvery steps), not on request; see GET /jobs/" + jobId
                    + "/evaluations");
        }
        if (job.config().trainsClassifier()) {
            throw new JobConflictException("job " + jobId + " trains a semi-supervised classifier: its test accuracy "
                    + "and its baseline's are measured at the end of training (and every evaluateEvery steps), not on "
                    + "request; see GET /jobs/" + jobId + "/evaluations");
        }
        int n = samples != null ? samples : job.config().evaluation().samplesFor(job.config().imageSize() > 0);
        long s = seed != null ? seed : job.config().seed();
        if (outstanding.incrementAndGet() > queueCapacity + 1) {
            outstanding.decrementAndGet();
            throw new EvaluationQueueFullException(queueCapacity);
        }
        try {
            ServingModels.Lease lease = models.lease(jobId); // fails now, with a 404, if there is nothing to score
            try {
                long cost = EvaluationCost.bytes(lease.snapshot().model().network(), n);
                if (!budgets.backgroundMemory().canEverFit(cost)) {
                    throw new BudgetExceededException("an evaluation on " + n + " samples", budgets.backgroundMemory().name(),
                            cost, budgets.backgroundMemory().capacityBytes());
                }
                Evaluation running = Evaluation.started(jobId, lease.snapshot().step(), "request", n, s,
                        clock.instant());
                try {
                    registry.saveEvaluation(running);
                } catch (RuntimeException e) {
                    if (OutOfSpace.causes(e)) {
                        throw new InsufficientStorageException("cannot record evaluation of job " + jobId, e);
                    }
                    throw e;
                }
                worker.execute(() -> {
                    try {
                        run(job, running, lease);
                    } finally {
                        outstanding.decrementAndGet();
                    }
                });
                return running;
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
        } catch (RuntimeException e) {
            outstanding.decrementAndGet();
            throw e;
        }
    }

    public List<Evaluation> list(String jobId) {
        jobs.get(jobId);
        return registry.evaluations(jobId);
    }

    private void run(Job job, Evaluation running, ServingModels.Lease lease) {
        Evaluation done;
        try (lease; var memory = budgets.backgroundMemory().reserve(EvaluationCost.bytes(lease.snapshot().model().network(),
                running.samples()), MEMORY_WAIT, "evaluation " + running.id())) {
            GeneratorSnapshot g = lease.snapshot();
            Scores scores = evaluator.evaluate(job.config().dataset(), job.config().imageSize(),
                    (manager, n, seed) -> g.forward(manager, LatentInputs.draw(g.model().network(), n, new Random(seed)), n),
                    running.samples(), running.seed());
            done = running.succeeded(g.step(), scores, clock.instant());
        } catch (RuntimeException e) {
            log.warn("evaluation {} of job {} failed: {}", running.id(), job.id(), e.toString());
            done = running.failed(e.getMessage(), clock.instant());
        }
        registry.saveEvaluation(done);
        listener.evaluationFinished(job, done);
    }

    /**
     * Interrupts the evaluation in progress and waits for it to end: the engine's arrays are
     * closed after this, and a scoring thread still running then would use freed native memory.
     */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("an evaluation did not stop within 60 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
