package io.ganserve.data;

/**
 * What the catalog can say about a dataset without loading it.
 *
 * @param channels image channels; -1 for an image folder, whose channels are only known after
 *                 decoding every image; 0 for points, which have none
 * @param location the directory the data comes from; null for synthetic datasets
 */
public record DatasetInfo(String name, DataKind kind, int channels, boolean labelled, java.nio.file.Path location) {
}
