package io.ganserve.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the catalog finds datasets on disk, and how many points a synthetic dataset holds.
 *
 * @param imageFolderRoot each sub-folder of it is an image dataset named after the sub-folder
 */
public record DatasetLocations(Path mnistDir, Path fashionMnistDir, Path imageFolderRoot, int pointCount) {

    public DatasetLocations {
        Objects.requireNonNull(mnistDir, "mnistDir");
        Objects.requireNonNull(fashionMnistDir, "fashionMnistDir");
        Objects.requireNonNull(imageFolderRoot, "imageFolderRoot");
        if (pointCount <= 0) {
            throw new IllegalArgumentException("pointCount must be positive, was " + pointCount);
        }
    }
}
