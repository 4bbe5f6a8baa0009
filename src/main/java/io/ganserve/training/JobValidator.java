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
