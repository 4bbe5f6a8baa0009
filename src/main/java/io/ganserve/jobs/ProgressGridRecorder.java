package io.ganserve.jobs;

import ai.djl.ndarray.NDManager;
import io.ganserve.gan.NetworkCost;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.sampling.SampleRenderer;
import io.ganserve.sampling.SampleService;
import io.ganserve.sampling.Samples;
import io.ganserve.sampling.SamplingCost;
import io.ganserve.sampling.ServingModels;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch DCGAN habit: at every checkpoint, samples from the same fixed noise (the job's seed),
 * kept as a PNG with the job, so a person can scrub through training and see the samples sharpen,
 * collapse to one mode or fall apart. Drawn from the checkpoint just written, on the training thread
 * (a checkpoint is already a pause), and bounded: past {@code maxGrids}, every other grid but the
 * newest is deleted, so the grids stay spread evenly over the run.
 *
 * <p>The checkpoint's generator is loaded into a cache of its own, closed at once: the serving cache
 * and the sampling metrics are for the people and programs that ask for samples, not for this.
 */
public final class ProgressGridRecorder implements JobListener {

    private static final Logger log = LoggerFactory.getLogger(ProgressGridRecorder.class);
    /** Samples in a grid: an 8 × 8 grid of images; enough points for a scatter plot to show the modes. */
    static final int IMAGE_SAMPLES = 64;
    static final int POINT_SAMPLES = 512;

    private final ModelRegistry registry;
    private final NDManager manager;
    private final SampleRenderer renderer;
    private final int maxGrids;

    public ProgressGridRecorder(ModelRegistry registry, NDManager manager, SampleRenderer renderer, int maxGrids) {
        if (maxGrids < 2) {
            throw new IllegalArgumentException("maxGrids must be at least 2, was " + maxGrids);
        }
        this.registry = registry;
        this.manager = manager;
        this.renderer = renderer;
        this.maxGrids = maxGrids;
    }

    /** How many samples a job's grids hold (a translator's: held-out images, one a row). */
    public static int samplesFor(Job job) {
        return job.config().trainsTranslator() ? TranslationGridRecorder.IMAGES : samplesFor(job.config());
    }

    /** What a job's grids show, in words, for a page that shows them. */
    public static String describe(Job job) {
        TrainingConfig config = job.config();
        if (config.trainsTranslator()) {
            return "the first %d held-out %s images translated to %s and back (source | translation | reconstruction), "
                    .formatted(TranslationGridRecorder.IMAGES, config.dataset(), config.translation().target())
                    + "the same at every checkpoint";
        }
        return "%d %s from noise seed %d, the same at every checkpoint"
                .formatted(samplesFor(config), config.imageSize() > 0 ? "samples" : "points", seedFor(job));
    }

    private static int samplesFor(TrainingConfig config) {
        return config.imageSize() > 0 ? IMAGE_SAMPLES : POINT_SAMPLES;
    }

    /**
     * On disk, one grid more than {@code maxGrids} (the newest is written before the oldest go); in
     * memory, on the training thread while training pauses, a second copy of G and one pass of the grid's samples.
     */
    @Override
    public JobCost.Extra costOf(TrainingConfig config, NetworkSpec spec) {
        if (config.trainsTranslator() || config.trainsClassifier()) {
            // a translator draws no samples from noise (TranslationGridRecorder draws its grids), and a
            // classifier's generator is not its product: no grids
            return JobCost.Extra.NONE;
        }
        int n = samplesFor(config);
        long weights = (long) Float.BYTES * NetworkCost.of(spec).generatorParameters();
        return new JobCost.Extra(weights + SamplingCost.nativeBytes(spec, n),
                (maxGrids + 1L) * renderer.gridPngBytesBound(spec, n));
    }

    public static long seedFor(Job job) {
        return job.config().seed();
    }

    @Override
    public void checkpointWritten(Job job, long bytes, Duration took) {
        if (job.config().trainsTranslator() || job.config().trainsClassifier()) {
            return;
        }
        long step = job.progress().checkpointStep();
        try (ServingModels own = new ServingModels(registry, manager, 1)) {
            Samples drawn = new SampleService(own).sample(job.id(), samplesFor(job), seedFor(job));
            if (drawn.step() != step) {
                return; // a newer checkpoint (another worker's) or the final generator: not this step's picture
            }
            registry.saveProgressGrid(job.id(), step, renderer.gridPng(drawn));
            thin(registry, job.id(), maxGrids);
        } catch (RuntimeException e) {
            // a missing picture must not stop training
            log.warn("progress grid of job {} at step {}: {}", job.id(), step, e.toString());
        }
    }

    /** Deletes every other grid (the newest kept) until at most {@code maxGrids} remain. */
    static void thin(ModelRegistry registry, String jobId, int maxGrids) {
        List<Long> steps = registry.progressSteps(jobId);
        while (steps.size() > maxGrids) {
            for (int i = steps.size() - 2; i >= 0; i -= 2) {
                registry.deleteProgressGrid(jobId, steps.get(i));
            }
            steps = registry.progressSteps(jobId);
        }
    }
}
