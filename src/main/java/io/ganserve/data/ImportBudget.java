package io.ganserve.data;

import static io.ganserve.data.ClientText.echo;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * One upload's running totals against {@link UploadLimits}: each part's bytes as sent, bytes
 * inflated (or read, for uncompressed files) against max-uncompressed-bytes, and pixels' bytes as
 * decoded against max-decoded-bytes(-per-image). Counted as the bytes go by, so no size an archive
 * or a header declares is ever trusted.
 */
final class ImportBudget {

    /** The chunk an upload is read, inflated and written in. */
    static final int BUFFER_BYTES = 1 << 16;

    private final UploadLimits limits;
    private long spent;
    private long decoded;

    ImportBudget(UploadLimits limits) {
        this.limits = limits;
    }

    UploadLimits limits() {
        return limits;
    }

    /**
     * {@code part} counted against max-upload-bytes on its own, and buffered so its first bytes can
     * be looked at and put back; closing it leaves {@code part} open, as the caller owns it.
     */
    BufferedInputStream sent(InputStream part, String field) {
        return new BufferedInputStream(new SentBytes(part, field), BUFFER_BYTES);
    }

    /** Called before an image is decoded, so a refused one never is. */
    void decode(long bytes, int width, int height, String entryName) {
        if (bytes > limits.maxDecodedBytesPerImage()) {
            throw new UploadTooLargeException("file", "entry '" + echo(entryName) + "' is " + width + " x " + height
                    + " pixels and decodes to " + bytes + " bytes, more than " + limits.maxDecodedBytesPerImage()
                    + " (ganserve.datasets.upload.max-decoded-bytes-per-image)");
        }
        decoded += bytes;
        if (decoded > limits.maxDecodedBytes()) {
            throw new UploadTooLargeException("file", "images up to entry '" + echo(entryName) + "' decode to "
                    + decoded + " bytes, more than " + limits.maxDecodedBytes()
                    + " (ganserve.datasets.upload.max-decoded-bytes)");
        }
    }

    void spend(int bytes, String field) {
        spent += bytes;
        if (spent > limits.maxUncompressedBytes()) {
            throw new InvalidUploadException(field, "inflates to more than " + limits.maxUncompressedBytes()
                    + " bytes (ganserve.datasets.upload.max-uncompressed-bytes)");
        }
    }

    private final class SentBytes extends FilterInputStream {
        private final String field;
        private long count;

        SentBytes(InputStream in, String field) {
            super(in);
            this.field = field;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int read = super.read(b, off, len);
            if (read > 0) {
                counted(read);
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        @Override
        public void close() {
            // the caller owns the part's stream
        }

        private void counted(long bytes) {
            count += bytes;
            if (count > limits.maxUploadBytes()) {
                throw new UploadTooLargeException(field, "is larger than " + limits.maxUploadBytes()
                        + " bytes (ganserve.datasets.upload.max-upload-bytes)");
            }
        }
    }
}
