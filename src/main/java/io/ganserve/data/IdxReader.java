package io.ganserve.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads the IDX files MNIST and Fashion-MNIST are distributed in, gzipped or not. */
public final class IdxReader {

    /** Unsigned bytes (type 0x08), three dimensions: count x rows x cols. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes (type 0x08), one dimension: count. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER_BYTES = 1 << 16;
    // Leaves headroom below Integer.MAX_VALUE, which some JVMs refuse as an array length.
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8L;

    private IdxReader() {
    }

    public static IdxFile readImages(Path file) {
        IdxFile images = read(file, IMAGES_MAGIC);
        if (images.dimension(1) == 0 || images.dimension(2) == 0) {
            throw new IdxFormatException(file, "images must have positive rows and columns, header says "
                    + images.dimension(1) + " x " + images.dimension(2));
        }
        return images;
    }

    public static IdxFile readLabels(Path file) {
        return read(file, LABELS_MAGIC);
    }

    /** The dimensions an IDX file's header announces, without reading its data. */
    public static int[] readDimensions(Path file, int expectedMagic) {
        try (DataInputStream in = new DataInputStream(open(file))) {
            return header(file, in, expectedMagic);
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated: the file ends inside its header", e);
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file, e);
        }
    }

    private static int[] header(Path file, DataInputStream in, int expectedMagic) throws IOException {
        int magic = in.readInt();
        if (magic != expectedMagic) {
            throw new IdxFormatException(file, String.format(
                    "magic number 0x%08x, expected 0x%08x (%s)", magic, expectedMagic, describe(expectedMagic)));
        }
        int[] dimensions = new int[expectedMagic & 0xFF];
        long expectedBytes = 1;
        for (int axis = 0; axis < dimensions.length; axis++) {
            // Read as unsigned so a corrupt header shows up as an absurd size, not a negative one.
            long dimension = Integer.toUnsignedLong(in.readInt());
            expectedBytes *= dimension;
            if (expectedBytes > MAX_DATA_BYTES) {
                throw new IdxFormatException(file, "dimensions describe more data than fits in memory");
            }
            dimensions[axis] = (int) dimension;
        }
        return dimensions;
    }

    private static IdxFile read(Path file, int expectedMagic) {
        try (DataInputStream in = new DataInputStream(open(file))) {
            int[] dimensions = header(file, in, expectedMagic);
            long expectedBytes = 1;
            for (int dimension : dimensions) {
                expectedBytes *= dimension;
            }
            byte[] data = new byte[(int) expectedBytes];
            int read = in.readNBytes(data, 0, data.length);
            if (read < data.length) {
                throw truncated(file, dimensions, read + " of " + data.length);
            }
            if (in.read() != -1) {
                throw new IdxFormatException(file, "file has more data than its dimensions "
                        + formatDimensions(dimensions) + " describe");
            }
            return new IdxFile(file, dimensions, data);
        } catch (EOFException e) {
            // A gzip stream cut short reports itself this way rather than with a short read.
            throw new IdxFormatException(file, "truncated: the file ends before its data does", e);
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        try {
            InputStream in = gunzipIfGzipped(raw);
            return in == raw ? raw : new BufferedInputStream(in, BUFFER_BYTES);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * {@code in} itself, or its inflated content when it starts with gzip's magic bytes: looked at
     * rather than trusted to a file name, because downloaded files are often renamed. Leaves {@code in}
     * where it was when not gzipped.
     */
    static InputStream gunzipIfGzipped(BufferedInputStream in) throws IOException {
        in.mark(2);
        byte[] head = in.readNBytes(2);
        in.reset();
        return isGzip(head) ? new GZIPInputStream(in, BUFFER_BYTES) : in;
    }

    /** Whether {@code head}, a file's first bytes, starts with gzip's magic number. */
    static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
    }

    private static IdxFormatException truncated(Path file, int[] dimensions, String bytesPresent) {
        return new IdxFormatException(file, "truncated: dimensions " + formatDimensions(dimensions)
                + " need more data than present (" + bytesPresent + " bytes)");
    }

    private static String describe(int magic) {
        return magic == IMAGES_MAGIC ? "unsigned-byte images" : "unsigned-byte labels";
    }

    private static String formatDimensions(int[] dimensions) {
        StringBuilder text = new StringBuilder();
        for (int dimension : dimensions) {
            if (!text.isEmpty()) {
                text.append(" x ");
            }
            text.append(dimension);
        }
        return text.toString();
    }
}
