package io.ganserve.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The file pair of one MNIST-style split, found in plain or gzipped form. */
record IdxSplit(Path images, Path labels) {

    static final String TRAIN_PREFIX = "train";
    static final String TEST_PREFIX = "t10k";

    /**
     * Locates {@code <prefix>-images-idx3-ubyte[.gz]} in {@code directory}; labels are optional
     * (null when absent) because a GAN can train without them.
     */
    static IdxSplit locate(String datasetName, Path directory, String prefix) {
        String imagesBase = prefix + "-images-idx3-ubyte";
        Optional<Path> images = firstExisting(directory, imagesBase);
        if (images.isEmpty()) {
            throw new DatasetUnavailableException(datasetName,
                    List.of(directory.resolve(imagesBase), directory.resolve(imagesBase + ".gz")),
                    "dataset '" + datasetName + "' not found: looked for " + imagesBase + "[.gz] in " + directory);
        }
        return new IdxSplit(images.get(), firstExisting(directory, prefix + "-labels-idx1-ubyte").orElse(null));
    }

    /** Whether the split's images file is in {@code directory}, plain or gzipped. */
    static boolean present(Path directory, String prefix) {
        return firstExisting(directory, prefix + "-images-idx3-ubyte").isPresent();
    }

    private static Optional<Path> firstExisting(Path directory, String baseName) {
        for (String candidate : List.of(baseName, baseName + ".gz")) {
            Path file = directory.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
