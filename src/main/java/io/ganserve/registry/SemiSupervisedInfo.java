package io.ganserve.registry;

import io.ganserve.gan.SemiSupervisedNetwork;
import java.time.Instant;
import java.util.List;

/**
 * A semi-supervised job's trained classifier, as serving finds it. Kept apart from the GAN models,
 * so sampling never takes it for a generator.
 *
 * @param classNames each class's name, in label order, where the dataset has them; null otherwise
 * @param labels labelled training images it learnt from
 * @param step the training step of the weights
 */
public record SemiSupervisedInfo(String jobId, String dataset, SemiSupervisedNetwork.Spec spec, List<String> classNames,
                             int labels, long step, Instant createdAt) {

    /** Class {@code k}'s name, or null where the dataset names none. */
    public String className(int k) {
        return classNames != null && k < classNames.size() ? classNames.get(k) : null;
    }
}
