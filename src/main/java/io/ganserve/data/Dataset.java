package io.ganserve.data;

/**
 * A training set held in memory. Samples are exposed in the model's range: points as raw
 * coordinates, images scaled to [-1, 1], laid out C x H x W.
 */
public interface Dataset {

    String name();

    DataKind kind();

    /** {2} for points; {C, H, W} for images. A fresh array each call. */
    int[] sampleShape();

    /** Number of samples. */
    int size();

    /** Number of classes, 0 when unlabelled. */
    int numClasses();

    /** Class of the sample, -1 when unlabelled. */
    int label(int index);

    /** Writes {@link #sampleLength()} floats of sample {@code index} into {@code dst} from {@code offset}. */
    void copySample(int index, float[] dst, int offset);

    default int sampleLength() {
        int length = 1;
        for (int dimension : sampleShape()) {
            length *= dimension;
        }
        return length;
    }
}
