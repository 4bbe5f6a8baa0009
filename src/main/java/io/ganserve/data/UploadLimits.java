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
 */
public record UploadLimits(long maxUploadBytes, int maxEntries, long maxUncompressedBytes, int maxImages,
                           int maxImageSide) {

    public UploadLimits {
        if (maxUploadBytes <= 0 || maxEntries <= 0 || maxUncompressedBytes <= 0 || maxImages <= 0 || maxImageSide <= 0) {
            throw new IllegalArgumentException("upload limits must be positive: " + maxUploadBytes + ", " + maxEntries
                    + ", " + maxUncompressedBytes + ", " + maxImages + ", " + maxImageSide);
        }
    }
}
