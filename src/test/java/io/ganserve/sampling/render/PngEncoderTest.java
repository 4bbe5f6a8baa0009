package io.ganserve.sampling.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The service's own PNG writer against ImageIO's reader: every pixel back as it was drawn. */
class PngEncoderTest {

    @ParameterizedTest
    @CsvSource({
        "10, 1, " + BufferedImage.TYPE_BYTE_GRAY,
        "234, 234, " + BufferedImage.TYPE_BYTE_GRAY,
        "700, 300, " + BufferedImage.TYPE_BYTE_GRAY, // rows deflated in several blocks
        "1, 1, " + BufferedImage.TYPE_INT_RGB,
        "600, 200, " + BufferedImage.TYPE_INT_RGB,
        "50, 40, " + BufferedImage.TYPE_INT_ARGB, // not a layout it writes itself: ImageIO's writer
        "50, 40, " + BufferedImage.TYPE_3BYTE_BGR})
    void everyPixelDecodesAsDrawn(int width, int height, int type) throws IOException {
        BufferedImage image = noise(width, height, type, new Random(width * 31L + height));
        assertSamePixels(ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(image))), image);
    }

    @ParameterizedTest
    @CsvSource({BufferedImage.TYPE_BYTE_GRAY + "", BufferedImage.TYPE_INT_RGB + ""})
    void aSubImageEncodesItsOwnPixels(int type) throws IOException {
        BufferedImage image = noise(80, 60, type, new Random(5));
        BufferedImage part = image.getSubimage(13, 7, 40, 30);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(part)));
        assertThat(decoded.getWidth()).isEqualTo(40);
        assertSamePixels(decoded, part);
    }

    @ParameterizedTest
    @CsvSource({"234, 234, 1", "600, 200, 3"})
    void theFileStaysWithinItsPricedBound(int width, int height, int bytesPerPixel) {
        BufferedImage image = noise(width, height,
                bytesPerPixel == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB, new Random(9));
        assertThat((long) PngEncoder.encode(image).length)
                .isLessThanOrEqualTo(PngEncoder.bytesBound(width, height, bytesPerPixel));
    }

    private static BufferedImage noise(int width, int height, int type, Random random) {
        BufferedImage image = new BufferedImage(width, height, type);
        var raster = image.getRaster();
        int[] sample = new int[raster.getNumBands()];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int b = 0; b < sample.length; b++) {
                    sample[b] = (y / 2 + x) % 7 == 0 ? 0 : random.nextInt(256); // runs deflate finds, and noise
                }
                raster.setPixel(x, y, sample);
            }
        }
        return image;
    }

    /** Compared band by band through the rasters: getRGB would convert grey through a colour space. */
    private static void assertSamePixels(BufferedImage decoded, BufferedImage drawn) {
        assertThat(decoded.getWidth()).isEqualTo(drawn.getWidth());
        assertThat(decoded.getHeight()).isEqualTo(drawn.getHeight());
        int bands = drawn.getRaster().getNumBands();
        assertThat(decoded.getRaster().getNumBands()).isEqualTo(bands);
        for (int y = 0; y < drawn.getHeight(); y++) {
            for (int x = 0; x < drawn.getWidth(); x++) {
                for (int b = 0; b < bands; b++) {
                    int expected = drawn.getRaster().getSample(x, y, b);
                    int actual = decoded.getRaster().getSample(x, y, b);
                    if (actual != expected) {
                        assertThat(actual).as("pixel (%d, %d) band %d", x, y, b).isEqualTo(expected);
                    }
                }
            }
        }
    }
}
