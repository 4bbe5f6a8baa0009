package io.ganserve.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 37 + 11);
        }
        return data;
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsBackExactly(boolean gzip) throws IOException {
        byte[] pixels = pattern(3 * 4 * 5);
        // Deliberately no .gz suffix on the gzipped file: detection goes by content.
        Path images = IdxTestFiles.images(dir.resolve("imgs"), 3, 4, 5, pixels, gzip);
        Path labels = IdxTestFiles.labels(dir.resolve("lbls"), new byte[] {9, 0, (byte) 200}, gzip);

        IdxFile imageFile = IdxReader.readImages(images);
        IdxFile labelFile = IdxReader.readLabels(labels);

        assertThat(imageFile.dimensions()).containsExactly(3, 4, 5);
        assertThat(imageFile.count()).isEqualTo(3);
        assertThat(imageFile.bytes()).isEqualTo(pixels);
        assertThat(imageFile.unsignedByte(1)).isEqualTo(48);
        assertThat(labelFile.dimensions()).containsExactly(3);
        assertThat(labelFile.unsignedByte(0)).isEqualTo(9);
        assertThat(labelFile.unsignedByte(2)).isEqualTo(200);
        assertThat(imageFile.source()).isEqualTo(images);
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        Path labels = IdxTestFiles.labels(dir.resolve("labels"), new byte[] {1, 2}, false);

        assertThatThrownBy(() -> IdxReader.readImages(labels))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("magic number 0x00000801");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void rejectsTruncatedData(boolean gzip) throws IOException {
        byte[] full = IdxTestFiles.idxBytes(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 3}, pattern(18));
        Path file = IdxTestFiles.write(dir.resolve("short"), Arrays.copyOf(full, full.length - 5), gzip);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsTruncatedGzipStream() throws IOException {
        Path whole = IdxTestFiles.images(dir.resolve("whole"), 4, 8, 8, pattern(256), true);
        byte[] gz = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(cut))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(cut.toString());
    }

    @Test
    void rejectsDataBeyondTheDimensions() throws IOException {
        Path file = IdxTestFiles.images(dir.resolve("long"), 1, 2, 2, pattern(6), false);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("1 x 2 x 2");
    }

    @Test
    void rejectsZeroSizedImages() throws IOException {
        Path file = IdxTestFiles.images(dir.resolve("flat"), 5, 0, 3, new byte[0], false);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("rows and columns");
    }

    @Test
    void imageDatasetScalesBytesToMinusOneToOne() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 64, 10, 20, 30, 40};
        Path images = IdxTestFiles.images(dir.resolve("i.gz"), 2, 2, 2, pixels, true);
        Path labels = IdxTestFiles.labels(dir.resolve("l"), new byte[] {3, 1}, false);

        ImageDataset dataset = ImageDataset.fromIdx("tiny", images, labels);

        assertThat(dataset.size()).isEqualTo(2);
        assertThat(dataset.sampleShape()).containsExactly(1, 2, 2);
        assertThat(dataset.numClasses()).isEqualTo(4);
        assertThat(dataset.label(0)).isEqualTo(3);
        assertThat(dataset.label(1)).isEqualTo(1);
        float[] sample = new float[4];
        dataset.copySample(0, sample, 0);
        assertThat(sample[0]).isEqualTo(-1f);
        assertThat(sample[1]).isEqualTo(1f);
        assertThat(sample[2]).isCloseTo(128 / 127.5f - 1, within(1e-6f));
        assertThat(sample[3]).isCloseTo(64 / 127.5f - 1, within(1e-6f));
    }

    @Test
    void imageDatasetWithoutLabels() throws IOException {
        Path images = IdxTestFiles.images(dir.resolve("i"), 1, 1, 1, new byte[] {5}, false);

        ImageDataset dataset = ImageDataset.fromIdx("tiny", images, null);

        assertThat(dataset.numClasses()).isZero();
        assertThat(dataset.label(0)).isEqualTo(-1);
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        Path images = IdxTestFiles.images(dir.resolve("i"), 2, 1, 1, new byte[] {5, 6}, false);
        Path labels = IdxTestFiles.labels(dir.resolve("l"), new byte[] {1}, false);

        assertThatThrownBy(() -> ImageDataset.fromIdx("tiny", images, labels))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("1 labels but");
    }

    @Test
    void resizingKeepsAUniformImageUniformAndChangesTheShape() throws IOException {
        byte[] pixels = new byte[2 * 28 * 28];
        Arrays.fill(pixels, 0, 28 * 28, (byte) 200);
        Path images = IdxTestFiles.images(dir.resolve("i"), 2, 28, 28, pixels, false);

        ImageDataset resized = ImageDataset.fromIdx("d", images, null).resizedTo(32);

        assertThat(resized.sampleShape()).containsExactly(1, 32, 32);
        float[] first = new float[32 * 32];
        float[] second = new float[32 * 32];
        resized.copySample(0, first, 0);
        resized.copySample(1, second, 0);
        for (int i = 0; i < first.length; i++) {
            assertThat(first[i]).isCloseTo(200 / 127.5f - 1, within(1e-6f));
            assertThat(second[i]).isEqualTo(-1f);
        }
    }
}
