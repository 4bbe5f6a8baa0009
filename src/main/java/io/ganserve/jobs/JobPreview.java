package io.ganserve.jobs;

import ai.djl.engine.Engine;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetInfo;
import io.ganserve.data.DatasetUnavailableException;
import io.ganserve.data.GaussianMixture;
import io.ganserve.registry.TrainingConfig;

/**
 * A job request resolved and checked the way {@code POST /jobs} does it (the dataset, its kind's
 * defaults, the image size, the variant rules), without pricing or queuing it: what a form needs to
 * show the defaults a request will get and to name a bad field before anything is submitted.
 * {@link JobService#submit} takes these same steps through this class, then prices and queues.
 */
public final class JobPreview {

    private final DatasetCatalog catalog;

    public JobPreview(DatasetCatalog catalog) {
        this.catalog = catalog;
    }

    /** A resolved configuration and what the catalog said of its dataset. */
    record Resolved(TrainingConfig config, DatasetInfo dataset) {}

    /** @throws InvalidJobException naming the field, as {@code POST /jobs} would */
    public TrainingConfig resolve(JobRequest request) {
        return resolveWithDataset(request).config();
    }

    Resolved resolveWithDataset(JobRequest request) {
        DatasetInfo dataset;
        try {
            dataset = catalog.describe(request.dataset());
        } catch (DatasetUnavailableException | IllegalArgumentException e) {
            throw new InvalidJobException("dataset", e.getMessage());
        }
        int mixtureModes = catalog.mixture(request.dataset()).map(GaussianMixture::modeCount).orElse(0);
        TrainingConfig config = JobDefaults.resolve(request, dataset.kind(), catalog.nativeImageSize(dataset.name()),
                mixtureModes);
        catalog.imageSizeProblem(dataset.name(), config.imageSize()).ifPresent(problem -> {
            throw new InvalidJobException("imageSize", problem);
        });
        JobValidator.validate(config, dataset, Engine.getInstance().getGpuCount());
        return new Resolved(config, dataset);
    }
}
