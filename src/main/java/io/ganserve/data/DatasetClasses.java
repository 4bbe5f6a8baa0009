package io.ganserve.data;

import java.util.List;

/**
 * A labelled dataset's classes, read without decoding its images: what a job that picks labelled
 * examples per class needs to check before it is queued.
 *
 * @param names each class's name in label order: the class folders of an image folder, the
 *     emoji categories, Fashion-MNIST's garments, MNIST's digits, "0".."K-1" for an uploaded IDX set
 * @param trainingImages the training split's images of each class
 */
public record DatasetClasses(List<String> names, int[] trainingImages) {

    public DatasetClasses {
        names = List.copyOf(names);
        trainingImages = trainingImages.clone();
    }

    public int count() {
        return names.size();
    }

    /** The class with the fewest training images. */
    public int smallest() {
        int at = 0;
        for (int k = 1; k < trainingImages.length; k++) {
            if (trainingImages[k] < trainingImages[at]) {
                at = k;
            }
        }
        return at;
    }

    @Override
    public int[] trainingImages() {
        return trainingImages.clone();
    }
}
