package io.ganserve.data;

/**
 * What an uploaded dataset may hold. Every limit is checked on what is actually read or inflated,
 * never on sizes an archive or file header declares.
 *
 * @param maxUploadBytes the uploaded file itself (the zip, or the IDX file as sent, gzipped or not)
 * @param maxEntries zip entries of any kind, folders and skipped files included
 * @param maxUncompressedBytes bytes inflated from the upload in all: every zip entry, or the IDX data
 * @param maxImages images in the dataset
 * @param maxImageSide the largest width or height of one image, read from its header before decoding
 * @param maxDecodedBytesPerImage one image's pixels as decoded (width x height x channels x bytes per
 *     channel), from its header before decoding: compression makes the file itself no guide
 * @param maxDecodedBytes the same, summed over the dataset
 */
public record UploadLimits(long maxUploadBytes, int maxEntries, long maxUncompressedBytes, int maxImages,
                           int maxImageSide, long maxDecodedBytesPerImage, long maxDecodedBytes) {

    public UploadLimits {
        if (maxUploadBytes <= 0 || maxEntries <= 0 || maxUncompressedBytes <= 0 || maxImages <= 0 || maxImageSide <= 0
                || maxDecodedBytesPerImage <= 0 || maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("upload limits must be positive: " + maxUploadBytes + ", " + maxEntries
                    + ", " + maxUncompressedBytes + ", " + maxImages + ", " + maxImageSide + ", "
                    + maxDecodedBytesPerImage + ", " + maxDecodedBytes);
        }
    }
}
