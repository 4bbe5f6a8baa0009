package io.ganserve.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxTestFiles {

    private IdxTestFiles() {
    }

    static byte[] idxBytes(int magic, int[] dimensions, byte[] data) {
        return io.ganserve.support.UploadFiles.idx(magic, dimensions, data);
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    static Path images(Path file, int count, int rows, int cols, byte[] data, boolean gzip) throws IOException {
        return write(file, idxBytes(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, data), gzip);
    }

    static Path labels(Path file, byte[] labels, boolean gzip) throws IOException {
        return write(file, idxBytes(IdxReader.LABELS_MAGIC, new int[] {labels.length}, labels), gzip);
    }
}
