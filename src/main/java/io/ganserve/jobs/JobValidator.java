package io.ganserve.jobs;

import io.ganserve.registry.DeviceKind;
import io.ganserve.registry.StopCondition;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import io.ganserve.data.DataKind;
import io.ganserve.data.DatasetInfo;
import io.ganserve.registry.Metric;
import io.ganserve.gan.Architecture;
import java.util.Set;

/** Checks that a resolved configuration's parts fit together and fit the dataset. */
final class JobValidator {

    private static final Set<Integer> DCGAN_SIZES = Set.of(28, 32, 64);
    /** What the evaluator scores on point mixtures; images get the rest. */
    private static final Set<Metric> POINT_METRICS = Set.of(Metric.MODES, Metric.HIGH_QUALITY, Metric.KL);
    /** Image scores that need the feature network, which is trained on the dataset's classes. */
    private static final Set<Metric> CLASSIFIER_METRICS = Set.of(Metric.FD, Metric.IS, Metric.PRECISION, Metric.RECALL);

    private JobValidator() {}

    static void validate(TrainingConfig config, DatasetInfo dataset, int gpusVisible) {
        if (config.device() == DeviceKind.GPU && gpusVisible == 0) {
            throw new InvalidJobException("device", "no GPU is visible to the engine on this host; use cpu or auto");
        }
        Variant v = config.variant();
        if (config.batchSize() % v.pack() != 0) {
            throw new InvalidJobException("pack", "must divide batchSize (" + config.batchSize() + "): the discriminator "
                    + "judges groups of " + v.pack() + " samples");
        }
        if (v.gradientPenalty() > 0 && config.architecture() != Architecture.MLP) {
            throw new InvalidJobException("gradientPenalty", "the gradient penalty is computed for MLP critics "
                    + "(its input gradient is written out by hand to avoid libtorch's leaking double backward); use architecture mlp");
        }
        if (v.gradientPenalty() > 0 && v.spectralNorm()) {
            throw new InvalidJobException("spectralNorm", "choose one of spectral normalisation and the gradient penalty: "
                    + "both constrain the critic's Lipschitz constant");
        }
        if (v.clipValue() > 0 && v.spectralNorm()) {
            throw new InvalidJobException("spectralNorm", "choose one of spectral normalisation and weight clipping (clipValue): "
                    + "both constrain the critic's Lipschitz constant");
        }
        if (v.clipValue() > 0 && v.gradientPenalty() > 0) {
            throw new InvalidJobException("clipValue", "weight clipping and the gradient penalty do not go together: "
                    + "WGAN-GP replaced clipping because it biases the critic");
        }
        if (v.conditional() && !dataset.labelled()) {
            throw new InvalidJobException("conditional", "a conditional GAN learns from (sample, class) pairs, but '"
                    + config.dataset() + "' has no labels; use a dataset with classes (an image folder needs one "
                    + "subfolder per class)");
        }
        if (v.conditional() && v.pack() > 1) {
            throw new InvalidJobException("conditional", "packing does not go with a conditional GAN: a pack mixes "
                    + "samples of different classes, so there is no one label to show the discriminator; use pack 1");
        }
        if (v.conditional() && v.gradientPenalty() > 0) {
            throw new InvalidJobException("conditional", "the gradient penalty's input gradient is written out for an "
                    + "unconditional critic and would not account for the label; use another loss or gradientPenalty 0");
        }
        if (v.infoGan().codes().categorical() == 1) {
            throw new InvalidJobException("infoGan.categorical", "must be 0 (none) or at least 2: a code with one "
                    + "value carries no information");
        }
        if (v.infoGan().ownershipEvery() > 0
                && (dataset.kind() != DataKind.POINTS || v.infoGan().codes().categorical() < 2)) {
            throw new InvalidJobException("infoGan.ownershipEvery", "the ownership check gives each categorical value "
                    + "a region of point data: it needs a point dataset and a categorical code of at least 2 values; "
                    + "use 0");
        }
        if (v.infoGan().enabled()) {
            if (v.conditional()) {
                throw new InvalidJobException("infoGan", "InfoGAN learns its own codes without labels; "
                        + "use it or conditional, not both");
            }
            if (v.pack() > 1) {
                throw new InvalidJobException("infoGan", "the Q head predicts one sample's codes, and a pack holds "
                        + v.pack() + " samples; use pack 1");
            }
            if (v.gradientPenalty() > 0) {
                throw new InvalidJobException("infoGan", "the gradient penalty's hand-written input gradient is for "
                        + "a critic with one output, and InfoGAN's carries a Q head; use gradientPenalty 0");
            }
        }
        validateMetrics(config, dataset);
        if (config.architecture() == Architecture.DCGAN) {
            if (dataset.kind() != DataKind.IMAGES) {
                throw new InvalidJobException("architecture",
                        "dcgan needs an image dataset, but '" + config.dataset() + "' is a point dataset; use mlp");
            }
            if (!DCGAN_SIZES.contains(config.imageSize())) {
                throw new InvalidJobException("imageSize",
                        "dcgan supports image sizes 28, 32 and 64, not " + config.imageSize());
            }
        }
    }

    /**
     * A stop condition or keep-best metric the evaluator never produces for this dataset would
     * silently never fire, so it is refused up front.
     */
    private static void validateMetrics(TrainingConfig config, DatasetInfo dataset) {
        boolean points = dataset.kind() == DataKind.POINTS;
        StopCondition stop = config.evaluation().stopWhen();
        if (stop != null) {
            if (stop.below() == null && stop.above() == null) {
                throw new InvalidJobException("stopWhen", "needs below or above (or both): without a bound every "
                        + "evaluation would meet it");
            }
            String problem = unscored(stop.metric(), points,
                    io.ganserve.evaluation.Evaluator.scoresFeatures(dataset.labelled(), config.imageSize()));
            if (problem != null) {
                throw new InvalidJobException("stopWhen.metric", problem);
            }
        }
        // the defaults (kl for points, fd for images) always pass the kind check
        Metric best = config.evaluation().keepBestBy();
        if (best != null && POINT_METRICS.contains(best) != points) {
            throw new InvalidJobException("keepBestBy", unscored(best, points, true));
        }
    }

    private static String unscored(Metric metric, boolean points, boolean features) {
        if (points && !POINT_METRICS.contains(metric)) {
            return metric.id() + " is an image score; point datasets are scored by modes, hq and kl";
        }
        if (!points && POINT_METRICS.contains(metric)) {
            return metric.id() + " is a point-mixture score; image datasets are scored by fd, is, precision, recall "
                    + "and parzen";
        }
        if (!points && !features && CLASSIFIER_METRICS.contains(metric)) {
            return metric.id() + " needs the feature network, which is trained on the dataset's classes on images of "
                    + "16 pixels or more, and this job has no classes or smaller images; use parzen";
        }
        return null;
    }
}
