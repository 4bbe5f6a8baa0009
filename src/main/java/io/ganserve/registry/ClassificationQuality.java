package io.ganserve.registry;

/**
 * A semi-supervised job's scores: the share of the dataset's test split each classifier puts in
 * its true class, the semi-supervised one beside the baseline (the same network, optimiser and
 * steps on the labelled images alone).
 *
 * @param labels labelled training images both classifiers saw
 * @param testImages images scored (the test split; an image folder's own images, as it has none)
 * @param accuracy the semi-supervised classifier's
 * @param baselineAccuracy the labels-alone baseline's
 */
public record ClassificationQuality(int labels, int testImages, double accuracy, double baselineAccuracy) {}
