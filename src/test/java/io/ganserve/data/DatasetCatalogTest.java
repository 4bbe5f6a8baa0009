package io.ganserve.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetCatalogTest {

    private static final Path SYSTEM_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    private Path mnist;
    private Path folders;
    private DatasetCatalog catalog;

    @BeforeEach
    void setUp() throws IOException {
        mnist = Files.createDirectories(dir.resolve("mnist"));
        folders = Files.createDirectories(dir.resolve("folders"));
        catalog = new DatasetCatalog(new DatasetLocations(mnist, dir.resolve("no-fashion"), folders, 1000));
    }

    private void writeMnist(String prefix, int count, boolean withLabels) throws IOException {
        byte[] pixels = new byte[count * 28 * 28];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            pixels[i * 28 * 28] = (byte) 255;
            labels[i] = (byte) (i % 10);
        }
        IdxTestFiles.images(mnist.resolve(prefix + "-images-idx3-ubyte.gz"), count, 28, 28, pixels, true);
        if (withLabels) {
            IdxTestFiles.labels(mnist.resolve(prefix + "-labels-idx1-ubyte"), labels, false);
        }
    }

    @Test
    void builtinNames() {
        assertThat(catalog.builtinNames()).containsExactly("ring8", "grid25", "mnist", "fashion-mnist", "emoji-google",
                "emoji-twitter");
        assertThat(catalog.mixture("grid25")).contains(GaussianMixture.grid25());
        assertThat(catalog.mixture("mnist")).isEmpty();
    }

    @Test
    void describesRing8WithoutLocation() {
        assertThat(catalog.describe("ring8")).isEqualTo(new DatasetInfo("ring8", DataKind.POINTS, 0, true, null));
    }

    @Test
    void unknownNameSaysWhichFolderWasLookedAt() {
        Path expected = folders.toAbsolutePath().normalize().resolve("celeba");

        assertThatThrownBy(() -> catalog.describe("celeba"))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining(expected.toString())
                .satisfies(e -> {
                    DatasetUnavailableException unavailable = (DatasetUnavailableException) e;
                    assertThat(unavailable.datasetName()).isEqualTo("celeba");
                    assertThat(unavailable.lookedAt()).containsExactly(expected);
                });
        assertThatThrownBy(() -> catalog.load("celeba", 1, 32)).isInstanceOf(DatasetUnavailableException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc", "a/b", "/etc", ".hidden", "", "a\\b", "name with space"})
    void rejectsNamesThatCouldEscapeTheRoot(String name) {
        assertThatThrownBy(() -> catalog.describe(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> catalog.load(name, 1, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingMnistNamesTheFilesAndTheDirectory() {
        assertThatThrownBy(() -> catalog.describe("fashion-mnist"))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessage("dataset 'fashion-mnist' not found: looked for train-images-idx3-ubyte[.gz] in "
                        + dir.resolve("no-fashion"));
    }

    @Test
    void loadsPointsWithTheSeedAndAFreshTestSample() {
        Dataset first = catalog.load("ring8", 5, 0);
        Dataset again = catalog.load("ring8", 5, 0);
        Dataset test = catalog.loadTestSplit("ring8", 0);

        assertThat(first).isInstanceOf(PointDataset.class);
        assertThat(first.size()).isEqualTo(1000);
        assertThat(test.size()).isEqualTo(1000);
        float[] a = new float[2];
        float[] b = new float[2];
        float[] c = new float[2];
        first.copySample(10, a, 0);
        again.copySample(10, b, 0);
        test.copySample(10, c, 0);
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void loadsMnistStyleIdxAndResizesOnRequest() throws IOException {
        writeMnist("train", 12, true);
        writeMnist("t10k", 3, false);

        DatasetInfo info = catalog.describe("mnist");
        Dataset train = catalog.load("mnist", 0, 28);
        Dataset resized = catalog.load("mnist", 0, 32);
        Dataset test = catalog.loadTestSplit("mnist", 28);

        assertThat(info).isEqualTo(new DatasetInfo("mnist", DataKind.IMAGES, 1, true, mnist));
        assertThat(train.size()).isEqualTo(12);
        assertThat(train.sampleShape()).containsExactly(1, 28, 28);
        assertThat(train.numClasses()).isEqualTo(10);
        assertThat(train.label(11)).isEqualTo(1);
        assertThat(resized.sampleShape()).containsExactly(1, 32, 32);
        assertThat(resized.label(11)).isEqualTo(1);
        assertThat(test.size()).isEqualTo(3);
        assertThat(test.label(0)).isEqualTo(-1);
    }

    @Test
    void describesAndLoadsAnImageFolder() throws IOException {
        Path cats = Files.createDirectories(folders.resolve("pets_v1.0/cat"));
        ImageIO.write(new BufferedImage(9, 9, BufferedImage.TYPE_BYTE_GRAY), "png", cats.resolve("c.png").toFile());

        DatasetInfo info = catalog.describe("pets_v1.0");
        Dataset dataset = catalog.load("pets_v1.0", 0, 16);
        Dataset test = catalog.loadTestSplit("pets_v1.0", 16);

        assertThat(info.kind()).isEqualTo(DataKind.IMAGES);
        assertThat(info.channels()).isEqualTo(-1);
        assertThat(info.labelled()).isTrue();
        assertThat(info.location()).isEqualTo(folders.toAbsolutePath().normalize().resolve("pets_v1.0"));
        assertThat(dataset.sampleShape()).containsExactly(1, 16, 16);
        assertThat(dataset.numClasses()).isEqualTo(1);
        assertThat(test.size()).isEqualTo(dataset.size());
    }

    @Test
    void folderWithoutImagesIsUnavailableOnDescribe() throws IOException {
        Path empty = Files.createDirectories(folders.resolve("empty"));
        Files.writeString(empty.resolve("a.txt"), "x");

        assertThatThrownBy(() -> catalog.describe("empty"))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("no PNG or JPEG images");
    }

    @Test
    void loadsTheInstalledFashionMnist() {
        Assumptions.assumeTrue(Files.exists(SYSTEM_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed");
        DatasetCatalog system = new DatasetCatalog(
                new DatasetLocations(dir.resolve("no-mnist"), SYSTEM_FASHION_MNIST, folders, 1000));

        Dataset dataset = system.load("fashion-mnist", 0, 28);

        assertThat(system.describe("fashion-mnist").labelled()).isTrue();
        assertThat(dataset.size()).isEqualTo(60_000);
        assertThat(dataset.sampleShape()).containsExactly(1, 28, 28);
        assertThat(dataset.numClasses()).isEqualTo(10);
        Set<Integer> labels = new HashSet<>();
        for (int i = 0; i < dataset.size(); i++) {
            labels.add(dataset.label(i));
        }
        assertThat(labels).hasSize(10);
        float[] sample = new float[dataset.sampleLength()];
        dataset.copySample(0, sample, 0);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float value : sample) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        // Fashion-MNIST images have black backgrounds and bright garments.
        assertThat(min).isEqualTo(-1f);
        assertThat(max).isGreaterThan(0f).isLessThanOrEqualTo(1f);
    }
}
