package io.ganserve.jobs;

import ai.djl.ndarray.NDManager;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.gan.cyclegan.TranslatorCost;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.inversion.TranslationGrid;
import io.ganserve.inversion.TranslationService;
import io.ganserve.registry.Checkpoint;
import io.ganserve.registry.ModelRegistry;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.TranslatorInfo;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProgressGridRecorder}'s sibling for translators, which draw nothing from noise: at every
 * checkpoint, the same first {@value #IMAGES} held-out images of the job's dataset, translated
 * forward by the checkpoint's generators and back (source | translation | reconstruction, as
 * {@code GET /jobs/{id}/translations} draws them), kept as the job's progress grid at that step and
 * thinned the same way, so the console's timeline works for translators too.
 */
public final class TranslationGridRecorder implements JobListener {

    private static final Logger log = LoggerFactory.getLogger(TranslationGridRecorder.class);
    /** Held-out images in a translator's progress grid: eight rows, small enough to draw at each checkpoint. */
    public static final int IMAGES = 8;
    /** The emoji, the only domains a translator trains on today, are RGB (composited on white). */
    private static final int CHANNELS = 3;

    private final ModelRegistry registry;
    private final DatasetCatalog catalog;
    private final NDManager manager;
    private final int maxGrids;

    public TranslationGridRecorder(ModelRegistry registry, DatasetCatalog catalog, NDManager manager, int maxGrids) {
        if (maxGrids < 2) {
            throw new IllegalArgumentException("maxGrids must be at least 2, was " + maxGrids);
        }
        this.registry = registry;
        this.catalog = catalog;
        this.manager = manager;
        this.maxGrids = maxGrids;
    }

    /**
     * On disk, one grid more than {@code maxGrids} (the newest is written before the oldest go); in
     * memory, on the training thread while training pauses, a second copy of both generators and one
     * pass of the grid's images through one of them (the passes run one after the other).
     */
    @Override
    public JobCost.Extra costOf(TrainingConfig config, NetworkSpec spec) {
        if (!config.trainsTranslator()) {
            return JobCost.Extra.NONE;
        }
        TranslatorSpec translator = TranslationRun.spec(config, CHANNELS);
        TranslatorCost net = TranslatorCost.of(translator);
        long weights = 2L * net.generatorParameters();
        long pass = IMAGES * (net.generatorActivations() + 2L * translator.imageLength());
        return new JobCost.Extra(Float.BYTES * (weights + pass),
                (maxGrids + 1L) * TranslationGrid.pngBytesBound(translator, IMAGES));
    }

    @Override
    public void checkpointWritten(Job job, long bytes, Duration took) {
        if (!job.config().trainsTranslator()) {
            return;
        }
        long step = job.progress().checkpointStep();
        try {
            Optional<Checkpoint> checkpoint = registry.latestCheckpoint(job.id()).filter(c -> c.step() == step);
            Optional<TranslatorInfo> run = registry.translatorRun(job.id());
            if (checkpoint.isEmpty() || run.isEmpty()) {
                return; // a newer checkpoint (another worker's) is not this step's picture
            }
            TranslationService.Translated t = TranslationService.heldOutAt(registry, catalog, manager, run.get(),
                    checkpoint.get(), IMAGES);
            registry.saveProgressGrid(job.id(), step, TranslationGrid.png(t));
            ProgressGridRecorder.thin(registry, job.id(), maxGrids);
        } catch (RuntimeException e) {
            // a missing picture must not stop training
            log.warn("progress grid of translator job {} at step {}: {}", job.id(), step, e.toString());
        }
    }
}
