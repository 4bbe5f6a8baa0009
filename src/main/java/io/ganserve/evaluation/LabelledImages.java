package io.ganserve.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import java.util.Arrays;
import java.util.Random;

/**
 * A labelled image dataset seen as native batches: the images at some indices as one N x C x H x W
 * array, their classes beside them, and shuffled orders for training epochs.
 */
final class LabelledImages {

    private final Dataset dataset;
    private final int[] sampleShape;

    LabelledImages(Dataset dataset) {
        requireLabelledSquareImages(dataset);
        this.dataset = dataset;
        this.sampleShape = dataset.sampleShape();
    }

    static void requireLabelledSquareImages(Dataset dataset) {
        if (dataset.kind() != DataKind.IMAGES) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " holds " + dataset.kind()
                    + ", the classifier needs images");
        }
        if (dataset.numClasses() < 2) {
            throw new IllegalArgumentException("dataset " + dataset.name()
                    + " needs labels of at least two classes, has " + dataset.numClasses());
        }
        int[] shape = dataset.sampleShape();
        if (shape[1] != shape[2] || shape[1] < ClassifierNetwork.MIN_SIDE) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " has " + shape[1] + " x " + shape[2]
                    + " images; the classifier needs square images of side " + ClassifierNetwork.MIN_SIDE
                    + " or more");
        }
    }

    int size() {
        return dataset.size();
    }

    int channels() {
        return sampleShape[0];
    }

    int side() {
        return sampleShape[1];
    }

    int numClasses() {
        return dataset.numClasses();
    }

    /** 0..size-1 in order, for passes where order does not matter. */
    int[] inOrder() {
        int[] order = new int[size()];
        Arrays.setAll(order, i -> i);
        return order;
    }

    /** An epoch's order: a Fisher-Yates shuffle of 0..size-1 drawn from {@code rng}. */
    int[] shuffledOrder(Random rng) {
        int[] order = inOrder();
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** The images at {@code order[from .. from+count)}, as count x C x H x W floats in [-1, 1]. */
    NDArray images(NDManager manager, int[] order, int from, int count) {
        int length = dataset.sampleLength();
        float[] values = new float[count * length];
        for (int i = 0; i < count; i++) {
            dataset.copySample(order[from + i], values, i * length);
        }
        return manager.create(values, new Shape(count, sampleShape[0], sampleShape[1], sampleShape[2]));
    }

    /** The classes of the same images, as count x K one-hot floats. */
    NDArray oneHotLabels(NDManager manager, int[] order, int from, int count) {
        float[] oneHot = new float[count * numClasses()];
        for (int i = 0; i < count; i++) {
            oneHot[i * numClasses() + dataset.label(order[from + i])] = 1f;
        }
        return manager.create(oneHot, new Shape(count, numClasses()));
    }

    int label(int index) {
        return dataset.label(index);
    }
}
