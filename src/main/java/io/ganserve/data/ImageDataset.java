package io.ganserve.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Images kept as unsigned bytes, C x H x W per sample, and converted to floats in [-1, 1] only
 * when copied out: four times less memory than holding floats.
 */
public final class ImageDataset implements Dataset {

    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final int numClasses;
    private final int sampleLength;
    private final int size;

    /**
     * Takes ownership of {@code pixels} and {@code labels} without copying them; callers in this
     * package hand over freshly built arrays.
     */
    ImageDataset(String name, int channels, int height, int width, byte[] pixels, int[] labels, int numClasses) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("shape must be positive: " + channels + "x" + height + "x" + width);
        }
        this.sampleLength = Math.multiplyExact(channels, Math.multiplyExact(height, width));
        if (pixels.length == 0 || pixels.length % sampleLength != 0) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes do not make whole samples of "
                    + sampleLength);
        }
        this.size = pixels.length / sampleLength;
        if (labels != null) {
            if (labels.length != size) {
                throw new IllegalArgumentException(labels.length + " labels for " + size + " images");
            }
            for (int label : labels) {
                if (label < 0 || label >= numClasses) {
                    throw new IllegalArgumentException("label " + label + " outside 0.." + (numClasses - 1));
                }
            }
        } else if (numClasses != 0) {
            throw new IllegalArgumentException("unlabelled images cannot have " + numClasses + " classes");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /**
     * Loads an IDX image file (count x rows x cols) and, when {@code labelsFile} is not null, its
     * IDX label file; the number of classes is the largest label plus one.
     */
    public static ImageDataset fromIdx(String name, Path imagesFile, Path labelsFile) {
        IdxFile images = IdxReader.readImages(imagesFile);
        if (images.count() == 0) {
            throw new IdxFormatException(imagesFile, "contains no images");
        }
        int[] labels = null;
        int numClasses = 0;
        if (labelsFile != null) {
            IdxFile labelFile = IdxReader.readLabels(labelsFile);
            if (labelFile.count() != images.count()) {
                throw new IdxFormatException(labelsFile, labelFile.count() + " labels but " + imagesFile
                        + " holds " + images.count() + " images");
            }
            labels = new int[labelFile.count()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = labelFile.unsignedByte(i);
                numClasses = Math.max(numClasses, labels[i] + 1);
            }
        }
        return new ImageDataset(name, 1, images.dimension(1), images.dimension(2), images.bytes(), labels,
                numClasses);
    }

    /**
     * A copy with every image centre-cropped to a square and resized to {@code side} x {@code side};
     * used to feed 28-pixel IDX digits to architectures built for 32 or 64 pixels.
     */
    ImageDataset resizedTo(int side) {
        if (side == height && side == width) {
            return this;
        }
        int sourceSide = Math.min(height, width);
        SquareResampler resampler = new SquareResampler(sourceSide, side);
        int cropOffset = ((height - sourceSide) / 2) * width + (width - sourceSide) / 2;
        int targetPlane = side * side;
        byte[] resized = new byte[Math.multiplyExact(size, channels * targetPlane)];
        for (int sample = 0; sample < size; sample++) {
            for (int channel = 0; channel < channels; channel++) {
                int plane = sample * channels + channel;
                resampler.resample(pixels, plane * height * width + cropOffset, width, resized, plane * targetPlane);
            }
        }
        return new ImageDataset(name, channels, side, side, resized, labels, numClasses);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DataKind kind() {
        return DataKind.IMAGES;
    }

    @Override
    public int[] sampleShape() {
        return new int[] {channels, height, width};
    }

    @Override
    public int sampleLength() {
        return sampleLength;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, size);
        return labels == null ? -1 : labels[index];
    }

    @Override
    public void copySample(int index, float[] dst, int offset) {
        Objects.checkIndex(index, size);
        Objects.checkFromIndexSize(offset, sampleLength, dst.length);
        int base = index * sampleLength;
        for (int i = 0; i < sampleLength; i++) {
            dst[offset + i] = (pixels[base + i] & 0xFF) / 127.5f - 1f;
        }
    }
}
