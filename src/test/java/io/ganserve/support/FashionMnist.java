package io.ganserve.support;

import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Fashion-MNIST as Debian's dataset-fashion-mnist installs it (`.ci/run` does), for tests that need real images. */
public final class FashionMnist {

    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {}

    /** Skips the calling test, saying why, where the package is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.exists(SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz"))
                && Files.exists(SYSTEM_DIR.resolve("t10k-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed");
    }

    /** A catalog that finds fashion-mnist where Debian puts it; {@code scratch} stands in for the other roots. */
    public static DatasetCatalog catalog(Path scratch) {
        return new DatasetCatalog(new DatasetLocations(scratch.resolve("no-mnist"), SYSTEM_DIR, scratch, 1000));
    }
}
