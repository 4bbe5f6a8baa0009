package io.ganserve.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderLoaderTest {

    @TempDir
    Path root;

    private static Path png(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static BufferedImage filled(int width, int height, int type, Color color) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(color);
        graphics.fillRect(0, 0, width, height);
        graphics.dispose();
        return image;
    }

    private static BufferedImage grayBytes(int width, int height, int value) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        return image;
    }

    private static float[] sample(Dataset dataset, int index) {
        float[] values = new float[dataset.sampleLength()];
        dataset.copySample(index, values, 0);
        return values;
    }

    private static float scaled(int byteValue) {
        return byteValue / 127.5f - 1;
    }

    @Test
    void classFoldersBecomeLabelsInNameOrderAndColourGivesThreeChannels() throws IOException {
        Path folder = root.resolve("shapes");
        png(folder.resolve("zebra/a.png"), filled(40, 20, BufferedImage.TYPE_INT_RGB, new Color(255, 0, 0)));
        png(folder.resolve("apple/b.png"), grayBytes(10, 10, 100));
        png(folder.resolve("apple/c.png"), filled(7, 9, BufferedImage.TYPE_INT_RGB, new Color(0, 0, 255)));
        Files.writeString(folder.resolve("apple/notes.txt"), "not an image");
        Files.writeString(folder.resolve("apple/fake.png"), "text pretending to be a png");
        png(folder.resolve("loose.png"), grayBytes(5, 5, 0));
        Files.createDirectories(folder.resolve("empty"));

        ImageDataset dataset = ImageFolderLoader.load("shapes", folder, 8);

        assertThat(dataset.name()).isEqualTo("shapes");
        assertThat(dataset.size()).as("loose top-level file and non-images are skipped").isEqualTo(3);
        assertThat(dataset.numClasses()).as("empty folder is not a class").isEqualTo(2);
        assertThat(dataset.sampleShape()).containsExactly(3, 8, 8);
        assertThat(new int[] {dataset.label(0), dataset.label(1), dataset.label(2)}).containsExactly(0, 0, 1);

        float[] gray = sample(dataset, 0);
        assertThat(gray[0]).isCloseTo(scaled(100), within(1e-6f));
        assertThat(gray[64]).as("gray replicated into green").isCloseTo(scaled(100), within(1e-6f));
        assertThat(gray[128]).as("gray replicated into blue").isCloseTo(scaled(100), within(1e-6f));
        float[] blue = sample(dataset, 1);
        assertThat(blue[5]).isEqualTo(-1f);
        assertThat(blue[64 + 5]).isEqualTo(-1f);
        assertThat(blue[128 + 5]).isEqualTo(1f);
        float[] red = sample(dataset, 2);
        assertThat(red[63]).isEqualTo(1f);
        assertThat(red[127]).isEqualTo(-1f);
    }

    @Test
    void grayImagesGiveOneChannelIncludingNeutralRgbFiles() throws IOException {
        Path folder = root.resolve("gray");
        png(folder.resolve("a.png"), grayBytes(30, 30, 77));
        png(folder.resolve("b.png"), filled(12, 16, BufferedImage.TYPE_INT_RGB, new Color(200, 200, 200)));

        ImageDataset dataset = ImageFolderLoader.load("gray", folder, 4);

        assertThat(dataset.sampleShape()).containsExactly(1, 4, 4);
        assertThat(dataset.numClasses()).isZero();
        assertThat(dataset.label(0)).isEqualTo(-1);
        assertThat(sample(dataset, 0)).containsOnly(scaled(77));
        assertThat(sample(dataset, 1)).containsOnly(scaled(200));
    }

    @Test
    void jpegFilesAreRecognisedByContentWhateverTheirName() throws IOException {
        Path folder = Files.createDirectories(root.resolve("jpegs"));
        ImageIO.write(grayBytes(16, 16, 150), "jpeg", folder.resolve("photo.data").toFile());

        ImageDataset dataset = ImageFolderLoader.load("jpegs", folder, 8);

        assertThat(dataset.size()).isEqualTo(1);
        assertThat(dataset.sampleShape()).containsExactly(1, 8, 8);
        // JPEG is lossy; a flat image should still come back within a couple of levels.
        assertThat(sample(dataset, 0)[27]).isCloseTo(scaled(150), within(2 / 127.5f));
    }

    @Test
    void transparentPixelsLandOnBlack() throws IOException {
        Path folder = root.resolve("alpha");
        png(folder.resolve("a.png"), filled(6, 6, BufferedImage.TYPE_INT_ARGB, new Color(255, 0, 0, 0)));
        png(folder.resolve("b.png"), filled(6, 6, BufferedImage.TYPE_INT_RGB, new Color(10, 200, 30)));

        ImageDataset dataset = ImageFolderLoader.load("alpha", folder, 6);

        assertThat(dataset.sampleShape()).containsExactly(3, 6, 6);
        assertThat(sample(dataset, 0)).containsOnly(-1f);
    }

    @Test
    void centreCropKeepsAspectAndShrinkingAveragesArea() throws IOException {
        // 30 x 10: only the middle 10 x 10 survives the crop. Its left half is white, right half black.
        BufferedImage wide = filled(30, 10, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK);
        Graphics2D graphics = wide.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, 15, 10);
        graphics.dispose();
        Path folder = root.resolve("wide");
        png(folder.resolve("w.png"), wide);

        ImageDataset dataset = ImageFolderLoader.load("wide", folder, 2);

        assertThat(dataset.sampleShape()).containsExactly(1, 2, 2);
        assertThat(sample(dataset, 0)).containsExactly(1f, -1f, 1f, -1f);
    }

    @Test
    void folderWithoutImagesIsUnavailable() throws IOException {
        Path folder = root.resolve("nothing");
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(folder.resolve("readme.md"), "# no pictures");

        assertThatThrownBy(() -> ImageFolderLoader.load("nothing", folder, 8))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining(folder.toString())
                .satisfies(e -> assertThat(((DatasetUnavailableException) e).lookedAt()).containsExactly(folder));
    }

    @Test
    void missingFolderIsUnavailable() {
        Path folder = root.resolve("absent");

        assertThatThrownBy(() -> ImageFolderLoader.load("absent", folder, 8))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining(folder.toString());
    }
}
