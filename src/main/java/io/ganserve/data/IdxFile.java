package io.ganserve.data;

import java.nio.file.Path;

/** The decoded contents of an unsigned-byte IDX file: its dimensions and its raw bytes. */
public final class IdxFile {

    private final Path source;
    private final int[] dimensions;
    private final byte[] data;

    IdxFile(Path source, int[] dimensions, byte[] data) {
        this.source = source;
        this.dimensions = dimensions.clone();
        this.data = data;
    }

    public Path source() {
        return source;
    }

    public int[] dimensions() {
        return dimensions.clone();
    }

    public int dimension(int axis) {
        return dimensions[axis];
    }

    /** Number of items: the first dimension. */
    public int count() {
        return dimensions[0];
    }

    /** Number of data bytes, the product of the dimensions. */
    public int length() {
        return data.length;
    }

    public int unsignedByte(int index) {
        return data[index] & 0xFF;
    }

    /** Shared, not copied: a full MNIST image file is 47 MB and is only ever read. */
    byte[] bytes() {
        return data;
    }
}
