package io.ganserve.training;

import io.ganserve.data.DataKind;
import io.ganserve.data.DatasetInfo;
import io.ganserve.gan.Architecture;
import java.util.Set;

/** Checks that a resolved configuration's parts fit together and fit the dataset. */
final class JobValidator {

    private static final Set<Integer> DCGAN_SIZES = Set.of(28, 32, 64);

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
}
