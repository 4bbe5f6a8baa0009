package io.ganserve.registry;

/**
 * What makes a job a semi-supervised classifier (architecture {@code semi-supervised}): how many
 * training images keep their labels, an equal share of each class. Null in the configuration of
 * every other job.
 *
 * @param labels labelled training images in all, a multiple of {@code classes}
 * @param classes the dataset's classes when the job was submitted
 */
public record SemiSupervisedPlan(int labels, int classes) {}
