package io.ganserve.data;

import static io.ganserve.data.ImportBudget.BUFFER_BYTES;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Imports an IDX images file with an optional IDX labels file, either gzipped, under the names
 * {@link IdxSplit} looks for. The headers are checked against the limits before any data is
 * copied, and the files are written afresh with exactly the data their headers announce, so one
 * holding less or more is refused.
 */
final class IdxImport {

    static final String IMAGES_FILE = "train-images-idx3-ubyte";
    static final String LABELS_FILE = "train-labels-idx1-ubyte";

    private final UploadLimits limits;

    IdxImport(UploadLimits limits) {
        this.limits = limits;
    }

    /** {@code labels} may be null; when given, the classes are "0" up to the largest label it holds. */
    ImportedDataset importInto(Path incoming, BufferedInputStream in, InputStream labels, ImportBudget budget)
            throws IOException {
        int[] dims;
        try (DataInputStream images = new DataInputStream(IdxReader.gunzipIfGzipped(in))) {
            int magic = readInt(images, "file");
            if (magic == IdxReader.LABELS_MAGIC) {
                throw new InvalidUploadException("file", "is an IDX labels file (magic 0x00000801); send the images "
                        + "file (*-images-idx3-ubyte) as file and this one as labels");
            }
            if (magic != IdxReader.IMAGES_MAGIC) {
                throw new InvalidUploadException("file", String.format("is not an IDX images file: magic 0x%08x, "
                        + "expected 0x%08x (unsigned bytes, count x rows x columns)", magic, IdxReader.IMAGES_MAGIC));
            }
            long count = readDimension(images, "file");
            long rows = readDimension(images, "file");
            long cols = readDimension(images, "file");
            if (count == 0 || count > limits.maxImages()) {
                throw new InvalidUploadException("file", "holds " + count + " images; it must hold 1 to "
                        + limits.maxImages() + " (ganserve.datasets.upload.max-images)");
            }
            if (rows == 0 || cols == 0 || rows > limits.maxImageSide() || cols > limits.maxImageSide()) {
                throw new InvalidUploadException("file", "images are " + cols + " x " + rows + " pixels; each side must "
                        + "be 1 to " + limits.maxImageSide() + " (ganserve.datasets.upload.max-image-side)");
            }
            long bytes = count * rows * cols;
            // one unsigned byte a pixel: IDX images decode to exactly their data
            if (rows * cols > limits.maxDecodedBytesPerImage()) {
                throw new UploadTooLargeException("file", "images are " + cols + " x " + rows + " pixels and decode to "
                        + rows * cols + " bytes each, more than " + limits.maxDecodedBytesPerImage()
                        + " (ganserve.datasets.upload.max-decoded-bytes-per-image)");
            }
            if (bytes > limits.maxDecodedBytes()) {
                throw new UploadTooLargeException("file", "announces " + count + " x " + rows + " x " + cols + " = "
                        + bytes + " decoded bytes, more than " + limits.maxDecodedBytes()
                        + " (ganserve.datasets.upload.max-decoded-bytes)");
            }
            if (bytes > limits.maxUncompressedBytes()) {
                throw new InvalidUploadException("file", "announces " + count + " x " + rows + " x " + cols + " = "
                        + bytes + " bytes, more than " + limits.maxUncompressedBytes()
                        + " (ganserve.datasets.upload.max-uncompressed-bytes)");
            }
            dims = new int[] {(int) count, (int) rows, (int) cols};
            writeIdx(incoming.resolve(IMAGES_FILE), IdxReader.IMAGES_MAGIC, dims, images, bytes, budget, "file",
                    null);
        } catch (ZipException | EOFException e) {
            throw new InvalidUploadException("file", "is a corrupt or truncated gzip stream: " + e.getMessage(), e);
        }
        List<String> classes = List.of();
        if (labels != null) {
            classes = importLabels(labels, dims[0], incoming, budget);
        }
        return new ImportedDataset(incoming, "idx", dims[0], classes, dims[2], dims[1]);
    }

    private List<String> importLabels(InputStream labels, int count, Path incoming, ImportBudget budget)
            throws IOException {
        BufferedInputStream raw = budget.sent(labels, "labels");
        raw.mark(2);
        byte[] head = raw.readNBytes(2);
        raw.reset();
        if (head.length == 0) {
            throw new InvalidUploadException("labels", "is empty");
        }
        int[] largest = {-1};
        try (DataInputStream in = new DataInputStream(IdxReader.gunzipIfGzipped(raw))) {
            int magic = readInt(in, "labels");
            if (magic != IdxReader.LABELS_MAGIC) {
                throw new InvalidUploadException("labels", String.format("is not an IDX labels file: magic 0x%08x, "
                        + "expected 0x%08x (unsigned bytes, one dimension)", magic, IdxReader.LABELS_MAGIC));
            }
            long labelCount = readDimension(in, "labels");
            if (labelCount != count) {
                throw new InvalidUploadException("labels", "holds " + labelCount + " labels for " + count + " images; "
                        + "the two files must match");
            }
            writeIdx(incoming.resolve(LABELS_FILE), IdxReader.LABELS_MAGIC, new int[] {count}, in, count, budget,
                    "labels", largest);
        } catch (ZipException | EOFException e) {
            throw new InvalidUploadException("labels", "is a corrupt or truncated gzip stream: " + e.getMessage(), e);
        }
        List<String> classes = new ArrayList<>();
        for (int label = 0; label <= largest[0]; label++) {
            classes.add(Integer.toString(label));
        }
        return classes;
    }

    /**
     * Copies exactly {@code length} data bytes after a freshly written header and refuses a file
     * holding fewer or more; {@code largest}, when given, receives the largest byte seen.
     */
    private void writeIdx(Path file, int magic, int[] dims, InputStream in, long length, ImportBudget budget,
                          String field, int[] largest) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER_BYTES))) {
            out.writeInt(magic);
            for (int dim : dims) {
                out.writeInt(dim);
            }
            byte[] buffer = new byte[BUFFER_BYTES];
            long remaining = length;
            while (remaining > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    throw new InvalidUploadException(field, "is truncated: its header announces " + length
                            + " bytes of data, it holds " + (length - remaining));
                }
                budget.spend(read, field);
                if (largest != null) {
                    for (int i = 0; i < read; i++) {
                        largest[0] = Math.max(largest[0], buffer[i] & 0xFF);
                    }
                }
                out.write(buffer, 0, read);
                remaining -= read;
            }
            if (in.read() != -1) {
                throw new InvalidUploadException(field, "holds more data than the " + length + " bytes its header "
                        + "announces");
            }
        }
    }

    private static int readInt(DataInputStream in, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new InvalidUploadException(field, "ends inside its IDX header", e);
        }
    }

    private static long readDimension(DataInputStream in, String field) throws IOException {
        return Integer.toUnsignedLong(readInt(in, field));
    }
}
