package io.ganserve.sampling.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    private static final int SIDE = 28;

    /** Image k is a constant gray k/15, so every tile has a distinct, predictable level. */
    private static ImageBatch graySteps(int n) {
        int plane = SIDE * SIDE;
        float[] px = new float[n * plane];
        for (int k = 0; k < n; k++) {
            Arrays.fill(px, k * plane, (k + 1) * plane, k / 15f);
        }
        return new ImageBatch(n, 1, SIDE, SIDE, px);
    }

    private static int expectedLevel(int k) {
        return (int) Math.round(k / 15.0 * 255);
    }

    @Test
    void defaultColumnsIsCeilSqrt() {
        assertThat(ImageGrid.defaultColumns(1)).isEqualTo(1);
        assertThat(ImageGrid.defaultColumns(10)).isEqualTo(4);
        assertThat(ImageGrid.defaultColumns(16)).isEqualTo(4);
        assertThat(ImageGrid.defaultColumns(17)).isEqualTo(5);
        assertThat(ImageGrid.defaultColumns(64)).isEqualTo(8);
    }

    @Test
    void sixteenImagesMakeFourByFour() {
        BufferedImage grid = ImageGrid.grid(graySteps(16), ImageGrid.defaultColumns(16), 2, 1);

        assertThat(grid.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(grid.getWidth()).isEqualTo(4 * 28 + 5 * 2);
        assertThat(grid.getHeight()).isEqualTo(4 * 28 + 5 * 2);
    }

    @Test
    void tenImagesMakeFourColumnsThreeRows() {
        BufferedImage grid = ImageGrid.grid(graySteps(10), ImageGrid.defaultColumns(10), 2, 1);

        assertThat(grid.getWidth()).isEqualTo(4 * 28 + 5 * 2);
        assertThat(grid.getHeight()).isEqualTo(3 * 28 + 4 * 2);
    }

    @Test
    void tilesAreRowMajorWithBorders() {
        int padding = 2;
        int scale = 3;
        int tile = SIDE * scale;
        BufferedImage grid = ImageGrid.grid(graySteps(16), 4, padding, scale);

        assertThat(grid.getWidth()).isEqualTo(4 * tile + 5 * padding);
        var raster = grid.getRaster();
        for (int k = 0; k < 16; k++) {
            int x0 = padding + (k % 4) * (tile + padding);
            int y0 = padding + (k / 4) * (tile + padding);
            assertThat(raster.getSample(x0 + tile / 2, y0 + tile / 2, 0)).as("centre of tile %d", k)
                    .isEqualTo(expectedLevel(k));
            // the scaled tile's corners belong to the tile, the pixel just before it to the border
            assertThat(raster.getSample(x0, y0, 0)).isEqualTo(expectedLevel(k));
            assertThat(raster.getSample(x0 + tile - 1, y0 + tile - 1, 0)).isEqualTo(expectedLevel(k));
            assertThat(raster.getSample(x0 - 1, y0 + 5, 0)).isEqualTo(ImageGrid.BORDER_LEVEL);
        }
        assertThat(raster.getSample(grid.getWidth() - 1, grid.getHeight() - 1, 0)).isEqualTo(ImageGrid.BORDER_LEVEL);
    }

    @Test
    void emptyCellsAfterLastImageStayBorder() {
        BufferedImage grid = ImageGrid.grid(graySteps(10), 4, 2, 1);
        // cell index 11 (row 2, column 3) holds no image
        int x0 = 2 + 3 * 30;
        int y0 = 2 + 2 * 30;
        assertThat(grid.getRaster().getSample(x0 + 14, y0 + 14, 0)).isEqualTo(ImageGrid.BORDER_LEVEL);
        assertThat(grid.getRaster().getSample(2 + 1 * 30 + 14, y0 + 14, 0)).isEqualTo(expectedLevel(9));
    }

    @Test
    void rgbBatchKeepsColors() {
        // two 1x1 RGB images: pure red, then (0, 0.5, 1)
        float[] px = {1f, 0f, 0f, 0f, 0.5f, 1f};
        BufferedImage grid = ImageGrid.grid(new ImageBatch(2, 3, 1, 1, px), 2, 1, 4);

        assertThat(grid.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(grid.getWidth()).isEqualTo(2 * 4 + 3);
        assertThat(grid.getHeight()).isEqualTo(4 + 2);
        assertThat(grid.getRGB(1 + 2, 1 + 2) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(grid.getRGB(1 + 4 + 1 + 2, 1 + 2) & 0xFFFFFF).isEqualTo(0x0080FF);
        assertThat(grid.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x808080);
    }

    @Test
    void stripsFollowTheSameGeometry() {
        BufferedImage strips = ImageGrid.strips(graySteps(15), 3, 5, 2, 2);

        assertThat(strips.getWidth()).isEqualTo(5 * 56 + 6 * 2);
        assertThat(strips.getHeight()).isEqualTo(3 * 56 + 4 * 2);
        // image 7 is row 1, step 2
        int x0 = 2 + 2 * (56 + 2);
        int y0 = 2 + 1 * (56 + 2);
        assertThat(strips.getRaster().getSample(x0 + 28, y0 + 28, 0)).isEqualTo(expectedLevel(7));
        assertThatThrownBy(() -> ImageGrid.strips(graySteps(14), 3, 5, 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBadArguments() {
        ImageBatch batch = graySteps(4);
        assertThatThrownBy(() -> ImageGrid.grid(batch, 0, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageGrid.grid(batch, 2, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageGrid.grid(batch, 2, 2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageGrid.grid(new ImageBatch(0, 1, 28, 28, new float[0]), 2, 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pngRoundTripKeepsSizeAndPixels() throws IOException {
        BufferedImage grid = ImageGrid.grid(graySteps(10), 4, 2, 2);

        byte[] png = PngEncoder.encode(grid);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));

        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(decoded.getWidth()).isEqualTo(grid.getWidth());
        assertThat(decoded.getHeight()).isEqualTo(grid.getHeight());
        int[] expected = grid.getRaster().getPixels(0, 0, grid.getWidth(), grid.getHeight(), (int[]) null);
        int[] actual = decoded.getRaster().getPixels(0, 0, grid.getWidth(), grid.getHeight(), (int[]) null);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void pngRoundTripKeepsRgb() throws IOException {
        float[] px = {1f, 0f, 0.2f, 0f, 0.5f, 1f, 0.3f, 0.9f, 0f};
        BufferedImage img = new ImageBatch(1, 3, 1, 3, px).toImage(0);

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(img)));

        for (int x = 0; x < 3; x++) {
            assertThat(decoded.getRGB(x, 0)).isEqualTo(img.getRGB(x, 0));
        }
    }
}
