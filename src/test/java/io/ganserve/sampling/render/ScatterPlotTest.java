package io.ganserve.sampling.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.sampling.render.ScatterPlot.Bounds;
import io.ganserve.sampling.render.ScatterPlot.Pixel;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ScatterPlotTest {

    private static final int SIZE = 200;

    private static int rgb(BufferedImage img, Pixel p) {
        return img.getRGB(p.x(), p.y()) & 0xFFFFFF;
    }

    private static int rgb(Color c) {
        return c.getRGB() & 0xFFFFFF;
    }

    @Test
    void boundsAreSquareAndKeepATenPercentMargin() {
        float[][] samples = {{-1f, 0f}, {3f, 1f}};
        float[][] reference = {{0f, -0.5f}};

        Bounds b = Bounds.around(samples, reference);

        // x span 4 dominates: side = 4 * 1.2, centred on x = 1, y = 0.25
        assertThat(b.width()).isCloseTo(4.8, within(1e-9));
        assertThat(b.height()).isCloseTo(b.width(), within(1e-9));
        assertThat(b.minX()).isCloseTo(-1.4, within(1e-9));
        assertThat(b.maxX()).isCloseTo(3.4, within(1e-9));
        assertThat((b.minY() + b.maxY()) / 2).isCloseTo(0.25, within(1e-9));
        for (float[][] set : new float[][][] {samples, reference}) {
            for (float[] p : set) {
                assertThat(b.contains(p[0], p[1])).isTrue();
                assertThat(p[0] - b.minX()).isGreaterThanOrEqualTo(0.1 * 4 - 1e-9);
                assertThat(b.maxX() - p[0]).isGreaterThanOrEqualTo(0.1 * 4 - 1e-9);
            }
        }
    }

    @Test
    void degenerateAndEmptySetsStillGiveUsableBounds() {
        Bounds single = Bounds.around(new float[][] {{2f, 2f}});
        assertThat(single.contains(2, 2)).isTrue();
        assertThat(single.width()).isPositive().isEqualTo(single.height());

        Bounds none = Bounds.around(new float[0][], null);
        assertThat(none).isEqualTo(new Bounds(-1, 1, -1, 1));

        Bounds skipsNaN = Bounds.around(new float[][] {{0f, 0f}, {1f, 1f}, {Float.NaN, 100f}});
        assertThat(skipsNaN.maxY()).isLessThan(2);
    }

    @Test
    void toPixelMapsCornersCentreAndFlipsY() {
        Bounds b = new Bounds(-1, 1, -1, 1);
        assertThat(b.toPixel(0, 0, SIZE)).isEqualTo(new Pixel(100, 100));
        assertThat(b.toPixel(-1, 1, SIZE)).isEqualTo(new Pixel(0, 0));
        assertThat(b.toPixel(1, -1, SIZE)).isEqualTo(new Pixel(199, 199));
        assertThat(b.toPixel(0.5, 0.5, SIZE)).isEqualTo(new Pixel(150, 50));
        assertThat(b.toPixel(99, -99, SIZE)).isEqualTo(new Pixel(199, 199));
    }

    @Test
    void sampleLandsOnItsPixelAboveReference() {
        // a unit ring as reference and two samples: one on the ring, one in the empty middle
        int n = 64;
        float[][] reference = new float[n][];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            reference[i] = new float[] {(float) Math.cos(a), (float) Math.sin(a)};
        }
        float[][] samples = {{1f, 0f}, {0.3f, 0.4f}};

        BufferedImage img = ScatterPlot.plot(samples, reference, SIZE);

        assertThat(img.getWidth()).isEqualTo(SIZE);
        assertThat(img.getHeight()).isEqualTo(SIZE);
        Bounds b = Bounds.around(samples, reference);
        assertThat(b.width()).isCloseTo(2.4, within(1e-6));
        // reference (1, 0) is drawn first; the sample at the same spot must cover it
        assertThat(rgb(img, b.toPixel(1, 0, SIZE))).isEqualTo(rgb(ScatterPlot.SAMPLE));
        assertThat(rgb(img, b.toPixel(0.3, 0.4, SIZE))).isEqualTo(rgb(ScatterPlot.SAMPLE));
        // a reference point without a sample keeps the reference color
        // (query the stored coordinates: cos/sin leave ~1e-16 residues that can flip a pixel boundary)
        for (int i : new int[] {n / 2, 3 * n / 4}) {
            float[] r = reference[i];
            assertThat(rgb(img, b.toPixel(r[0], r[1], SIZE))).as("reference %d", i)
                    .isEqualTo(rgb(ScatterPlot.REFERENCE));
        }
        // empty data space is white
        assertThat(rgb(img, b.toPixel(-0.5, -0.5, SIZE))).isEqualTo(rgb(ScatterPlot.BACKGROUND));
    }

    @Test
    void ringStaysRoundOnASquareCanvas() {
        // data twice as wide as tall: equal scale means x = 1 is as many pixels from the centre as y = 1
        float[][] samples = {{-2f, -1f}, {2f, 1f}};
        Bounds b = Bounds.around(samples);
        Pixel centre = b.toPixel(0, 0, SIZE);
        Pixel right = b.toPixel(1, 0, SIZE);
        Pixel up = b.toPixel(0, 1, SIZE);
        assertThat(right.x() - centre.x()).isCloseTo(centre.y() - up.y(), within(1));
    }

    @Test
    void axesPassThroughZeroOnlyWhenInside() {
        float[][] around = {{-1f, -1f}, {1f, 1f}};
        BufferedImage img = ScatterPlot.plot(new float[0][], around, SIZE);
        Bounds b = Bounds.around(new float[0][], around);
        Pixel zero = b.toPixel(0, 0, SIZE);
        assertThat(img.getRGB(zero.x(), 5) & 0xFFFFFF).isEqualTo(rgb(ScatterPlot.AXIS));
        assertThat(img.getRGB(5, zero.y()) & 0xFFFFFF).isEqualTo(rgb(ScatterPlot.AXIS));

        float[][] positive = {{5f, 5f}, {6f, 6f}};
        BufferedImage noAxes = ScatterPlot.plot(positive, null, SIZE);
        for (int x = 0; x < SIZE; x++) {
            assertThat(noAxes.getRGB(x, 3) & 0xFFFFFF).isEqualTo(rgb(ScatterPlot.BACKGROUND));
        }
    }

    @Test
    void nonFinitePointsAreSkippedNotFatal() {
        float[][] samples = {{Float.NaN, 0f}, {0f, Float.POSITIVE_INFINITY}, {0.5f, 0.5f}};
        BufferedImage img = ScatterPlot.plot(samples, null, SIZE);
        Bounds b = Bounds.around(samples);
        assertThat(rgb(img, b.toPixel(0.5, 0.5, SIZE))).isEqualTo(rgb(ScatterPlot.SAMPLE));
    }

    @Test
    void stripColorsRunFromStartToEnd() {
        float[][] path = {{-1f, 0f}, {0f, 1f}, {1f, 0f}};
        float[][] reference = {{0f, -1f}};

        BufferedImage img = ScatterPlot.strip(path, reference, SIZE);

        Bounds b = Bounds.around(path, reference);
        assertThat(rgb(img, b.toPixel(-1, 0, SIZE))).isEqualTo(rgb(ScatterPlot.PATH_START));
        assertThat(rgb(img, b.toPixel(1, 0, SIZE))).isEqualTo(rgb(ScatterPlot.PATH_END));
        assertThat(rgb(img, b.toPixel(0, 1, SIZE))).isEqualTo(rgb(ScatterPlot.pathColor(0.5)));
        assertThat(rgb(img, b.toPixel(0, -1, SIZE))).isEqualTo(rgb(ScatterPlot.REFERENCE));
        // the first segment's midpoint is drawn, in a color between start and middle
        Pixel mid = b.toPixel(-0.5, 0.5, SIZE);
        Color c = new Color(img.getRGB(mid.x(), mid.y()));
        assertThat(c.getBlue()).isGreaterThan(c.getRed());
        assertThat(rgb(c)).isNotEqualTo(rgb(ScatterPlot.BACKGROUND));
    }

    @Test
    void pathColorEndpoints() {
        assertThat(ScatterPlot.pathColor(0)).isEqualTo(ScatterPlot.PATH_START);
        assertThat(ScatterPlot.pathColor(1)).isEqualTo(ScatterPlot.PATH_END);
    }

    @Test
    void rejectsBadInput() {
        float[][] ok = {{0f, 0f}};
        assertThatThrownBy(() -> ScatterPlot.plot(ok, null, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScatterPlot.plot(ok, null, 100_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScatterPlot.plot(new float[][] {{1f, 2f, 3f}}, null, SIZE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScatterPlot.strip(new float[0][], null, SIZE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bounds(1, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
