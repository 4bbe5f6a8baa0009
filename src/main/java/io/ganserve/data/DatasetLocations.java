package io.ganserve.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the catalog finds datasets on disk, and how many points a synthetic dataset holds.
 *
 * @param imageFolderRoot each sub-folder of it is an image dataset named after the sub-folder
 * @param emojiDir where {@code scripts/install-emoji.sh} put the emoji: {@code google/} and {@code twitter/}
 */
public record DatasetLocations(Path mnistDir, Path fashionMnistDir, Path imageFolderRoot, int pointCount,
                               Path emojiDir) {

    /** Where the emoji install script puts them unless told otherwise. */
    public static final Path DEFAULT_EMOJI_DIR = Path.of("/usr/share/datasets/emoji");

    /** Locations with the emoji where the install script puts them by default. */
    public DatasetLocations(Path mnistDir, Path fashionMnistDir, Path imageFolderRoot, int pointCount) {
        this(mnistDir, fashionMnistDir, imageFolderRoot, pointCount, DEFAULT_EMOJI_DIR);
    }

    public DatasetLocations {
        Objects.requireNonNull(emojiDir, "emojiDir");
        Objects.requireNonNull(mnistDir, "mnistDir");
        Objects.requireNonNull(fashionMnistDir, "fashionMnistDir");
        Objects.requireNonNull(imageFolderRoot, "imageFolderRoot");
        if (pointCount <= 0) {
            throw new IllegalArgumentException("pointCount must be positive, was " + pointCount);
        }
    }
}
