package io.ganserve.evaluation;

import io.ganserve.engine.BudgetExceededException;
import io.ganserve.engine.ResourceBudgets;
import io.ganserve.gan.LatentInputs;
import java.time.Duration;
import io.ganserve.sampling.GeneratorSnapshot;
import io.ganserve.sampling.ServingModels;
import io.ganserve.training.Evaluation;
import io.ganserve.training.Job;
import io.ganserve.training.JobListener;
import io.ganserve.training.JobService;
import io.ganserve.training.ModelRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluations a user asks for: scored in the background on the job's served generator (its final
 * one, or while it trains its newest checkpoint), recorded in the registry beside the ones made
 * during training.
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
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gan-evaluator");
        t.setDaemon(true);
        return t;
    });

    public JobEvaluations(JobService jobs, ServingModels models, ModelRegistry registry, Evaluator evaluator,
                          JobListener listener, Clock clock, ResourceBudgets budgets) {
        this.budgets = budgets;
        this.jobs = jobs;
        this.models = models;
        this.registry = registry;
        this.evaluator = evaluator;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Starts scoring job {@code jobId}'s generator on {@code samples} samples drawn with {@code seed};
     * the returned record is RUNNING and is replaced in the registry when it ends.
     *
     * @throws io.ganserve.training.JobNotFoundException for an unknown job
     * @throws io.ganserve.sampling.NoModelException when the job has no generator to score yet
     */
    public Evaluation request(String jobId, Integer samples, Long seed) {
        Job job = jobs.get(jobId);
        int n = samples != null ? samples : job.config().evaluation().samplesFor(job.config().imageSize() > 0);
        long s = seed != null ? seed : job.config().seed();
        ServingModels.Lease lease = models.lease(jobId); // fails now, with a 404, if there is nothing to score
        long cost = EvaluationCost.bytes(lease.snapshot().model().network(), n);
        if (!budgets.nativeMemory().canEverFit(cost)) {
            lease.close();
            throw new BudgetExceededException("an evaluation on " + n + " samples", budgets.nativeMemory().name(), cost,
                    budgets.nativeMemory().capacityBytes());
        }
        Evaluation running = Evaluation.started(jobId, lease.snapshot().step(), "request", n, s, clock.instant());
        registry.saveEvaluation(running);
        worker.execute(() -> run(job, running, lease));
        return running;
    }

    public List<Evaluation> list(String jobId) {
        jobs.get(jobId);
        return registry.evaluations(jobId);
    }

    private void run(Job job, Evaluation running, ServingModels.Lease lease) {
        Evaluation done;
        try (lease; var memory = budgets.nativeMemory().reserve(EvaluationCost.bytes(lease.snapshot().model().network(),
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

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
