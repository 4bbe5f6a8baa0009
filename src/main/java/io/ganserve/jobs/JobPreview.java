package io.ganserve.jobs;

import ai.djl.engine.Engine;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetClasses;
import io.ganserve.data.DatasetInfo;
import io.ganserve.data.DatasetUnavailableException;
import io.ganserve.data.GaussianMixture;
import io.ganserve.gan.Architecture;
import io.ganserve.registry.TrainingConfig;
import java.util.Optional;

/**
 * A job request resolved and checked the way {@code POST /jobs} does it (the dataset, its kind's
 * defaults, the image size, the variant rules), without pricing or queuing it: what a form needs to
 * show the defaults a request will get and to name a bad field before anything is submitted.
 * {@link JobService#submit} takes these same steps through this class, then prices and queues.
 */
public final class JobPreview {

    private final DatasetCatalog catalog;
    private final PrecisionDefaults precision;

    /** A preview for a host without native bfloat16 whose service default is {@code auto}. */
    public JobPreview(DatasetCatalog catalog) {
        this(catalog, PrecisionDefaults.FLOAT32_HOST);
    }

    public JobPreview(DatasetCatalog catalog, PrecisionDefaults precision) {
        this.catalog = catalog;
        this.precision = precision;
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
        TrainingConfig config;
        Optional<DatasetClasses> classes = Optional.empty();
        if (request.architecture() == Architecture.SEMI_SUPERVISED) {
            classes = classes(dataset);
            config = SemiSupervisedDefaults.resolve(request, catalog.nativeImageSize(dataset.name()),
                    classes.map(DatasetClasses::count).orElse(0), precision);
        } else {
            if (request.labels() != null) {
                throw new InvalidJobException("labels", "only an architecture semi-supervised job keeps labels for "
                        + "a few training images; set architecture to semi-supervised");
            }
            config = JobDefaults.resolve(request, dataset.kind(), catalog.nativeImageSize(dataset.name()), mixtureModes,
                    precision);
        }
        if (config.trainsClassifier()) {
            SemiSupervisedDefaults.check(request, config, dataset, classes);
        }
        catalog.imageSizeProblem(dataset.name(), config.imageSize()).ifPresent(problem -> {
            throw new InvalidJobException("imageSize", problem);
        });
        JobValidator.validate(config, dataset, Engine.getInstance().getGpuCount());
        checkTranslation(request, config);
        return new Resolved(config, dataset);
    }

    /** A dataset's classes as its files say, read before anything is queued; a damaged label file names the dataset. */
    private Optional<DatasetClasses> classes(DatasetInfo dataset) {
        try {
            return catalog.classes(dataset.name());
        } catch (DatasetUnavailableException | io.ganserve.data.IdxFormatException | java.io.UncheckedIOException e) {
            throw new InvalidJobException("dataset", e.getMessage());
        }
    }

    /**
     * A CycleGAN needs a target domain it can be judged against: today the two emoji vendors, whose
     * held-out images pair up by name; the fields of the GAN families mean nothing to it.
     */
    private void checkTranslation(JobRequest request, TrainingConfig config) {
        if (!config.trainsTranslator()) {
            if (request.target() != null || request.cycleGan() != null) {
                throw new InvalidJobException(request.target() != null ? "target" : "cycleGan",
                        "only an architecture cyclegan job translates to a target dataset; set architecture to cyclegan");
            }
            return;
        }
        java.util.List<String> inapplicable = TranslationDefaults.inapplicable(request);
        if (!inapplicable.isEmpty()) {
            throw new InvalidJobException(inapplicable.get(0), "does not apply to architecture cyclegan (least squares, "
                    + "Adam, the paper's schedule; see docs/translation.md); leave out " + String.join(", ", inapplicable));
        }
        String target = request.target();
        if (target == null) {
            throw new InvalidJobException("target", "is required for architecture cyclegan: the dataset to translate to");
        }
        if (target.equals(request.dataset())) {
            throw new InvalidJobException("target", "must differ from dataset: a translator maps one domain to another");
        }
        for (String[] field : new String[][] {{"dataset", request.dataset()}, {"target", target}}) {
            if (!catalog.isEmoji(field[1])) {
                throw new InvalidJobException(field[0], "cyclegan translates between emoji-google and emoji-twitter "
                        + "(their held-out images pair up by name, which the evaluation needs); '" + field[1]
                        + "' is not one of them");
            }
        }
        try {
            catalog.describe(target);
        } catch (DatasetUnavailableException | IllegalArgumentException e) {
            throw new InvalidJobException("target", e.getMessage());
        }
        if (config.imageSize() != 32 && config.imageSize() != 64) {
            throw new InvalidJobException("imageSize", "cyclegan translates 32 or 64 px images, not " + config.imageSize());
        }
    }
}
