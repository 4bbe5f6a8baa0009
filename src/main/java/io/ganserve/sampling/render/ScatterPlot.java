package io.ganserve.sampling.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Scatter plots for GANs on 2-D toy data (rings, grids of Gaussians, spirals): generated samples over the
 * real distribution, which is where mode collapse shows at a glance. Canvas and bounds are both square so
 * one data unit is the same number of pixels on both axes and a ring stays round.
 *
 * <p>Points are {@code float[n][2]} rows of {@code {x, y}}. Non-finite coordinates are skipped, so a
 * diverged generator still yields a plot of whatever it produced instead of an error.
 */
public final class ScatterPlot {

    public static final int MIN_SIZE_PX = 16;
    /** A 4096 px square ARGB canvas is 64 MiB; anything larger is a request mistake, not a plot. */
    public static final int MAX_SIZE_PX = 4096;

    public static final Color BACKGROUND = Color.WHITE;
    public static final Color AXIS = new Color(0xC8C8C8);
    public static final Color REFERENCE = new Color(0xA6C8E6);
    public static final Color SAMPLE = new Color(0xD62728);
    public static final Color PATH_START = new Color(0x1F4FB4);
    public static final Color PATH_END = new Color(0xD62728);

    /** Fraction of the data span added on each side so edge points are not cut by the frame. */
    static final double MARGIN = 0.10;

    private ScatterPlot() {
    }

    /** Data-space window shown on the canvas; {@code y} grows upwards as in a math plot. */
    public record Bounds(double minX, double maxX, double minY, double maxY) {

        public Bounds {
            if (!(Double.isFinite(minX) && Double.isFinite(maxX) && Double.isFinite(minY) && Double.isFinite(maxY))) {
                throw new IllegalArgumentException("bounds must be finite");
            }
            if (!(maxX > minX && maxY > minY)) {
                throw new IllegalArgumentException("bounds must have positive extent, got " + minX + ".." + maxX
                        + " x " + minY + ".." + maxY);
            }
        }

        /**
         * Smallest square around every finite point of {@code sets} (null sets are ignored), widened by
         * {@link #MARGIN} of the span on each side. No finite points gives {@code [-1, 1]^2}.
         */
        public static Bounds around(float[][]... sets) {
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            for (float[][] set : sets) {
                if (set == null) {
                    continue;
                }
                requirePoints(set);
                for (float[] p : set) {
                    if (isFinite(p)) {
                        minX = Math.min(minX, p[0]);
                        maxX = Math.max(maxX, p[0]);
                        minY = Math.min(minY, p[1]);
                        maxY = Math.max(maxY, p[1]);
                    }
                }
            }
            if (minX > maxX) {
                return new Bounds(-1, 1, -1, 1);
            }
            double cx = (minX + maxX) / 2;
            double cy = (minY + maxY) / 2;
            double span = Math.max(maxX - minX, maxY - minY);
            if (span == 0) {
                // a single distinct point: show a unit window around it rather than dividing by zero
                span = 1.0;
            } else {
                // a tiny span far from the origin could round to min == max; keep it representable
                span = Math.max(span, 1e-9 * Math.max(1.0, Math.max(Math.abs(cx), Math.abs(cy))));
            }
            double half = span * (0.5 + MARGIN);
            return new Bounds(cx - half, cx + half, cy - half, cy + half);
        }

        public double width() {
            return maxX - minX;
        }

        public double height() {
            return maxY - minY;
        }

        public boolean contains(double x, double y) {
            return x >= minX && x <= maxX && y >= minY && y <= maxY;
        }

        /**
         * The pixel of a {@code sizePx} square canvas that covers data point {@code (x, y)}; points outside
         * the bounds are clamped to the edge. Plots draw each marker centred on exactly this pixel.
         */
        public Pixel toPixel(double x, double y, int sizePx) {
            double fx = (x - minX) / width() * sizePx;
            double fy = (maxY - y) / height() * sizePx;
            return new Pixel(clampToCanvas(fx, sizePx), clampToCanvas(fy, sizePx));
        }

        private static int clampToCanvas(double v, int sizePx) {
            return (int) Math.max(0, Math.min(sizePx - 1, Math.floor(v)));
        }
    }

    /** Canvas coordinates, {@code (0, 0)} at the top left. */
    public record Pixel(int x, int y) {
    }

    /** Reference points first (light), then samples on top, on a white {@code sizePx} square. */
    public static BufferedImage plot(float[][] samples, float[][] reference, int sizePx) {
        Objects.requireNonNull(samples, "samples");
        requireSize(sizePx);
        Bounds bounds = Bounds.around(samples, reference);
        BufferedImage image = new BufferedImage(sizePx, sizePx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image, bounds);
        try {
            drawReference(g, bounds, reference, sizePx);
            double r = sampleRadius(sizePx);
            g.setColor(SAMPLE);
            for (float[] p : samples) {
                if (isFinite(p)) {
                    dot(g, bounds.toPixel(p[0], p[1], sizePx), r);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * An interpolation path through data space: consecutive points joined by line segments, each point
     * marked, both colored from {@link #PATH_START} to {@link #PATH_END} so direction is readable.
     */
    public static BufferedImage strip(float[][] pathPoints, float[][] reference, int sizePx) {
        Objects.requireNonNull(pathPoints, "pathPoints");
        if (pathPoints.length == 0) {
            throw new IllegalArgumentException("pathPoints must not be empty");
        }
        requireSize(sizePx);
        Bounds bounds = Bounds.around(pathPoints, reference);
        BufferedImage image = new BufferedImage(sizePx, sizePx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image, bounds);
        try {
            drawReference(g, bounds, reference, sizePx);
            int last = pathPoints.length - 1;
            g.setStroke(new BasicStroke((float) Math.max(1.5, sizePx / 300.0),
                    BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (int i = 0; i < last; i++) {
                float[] a = pathPoints[i];
                float[] b = pathPoints[i + 1];
                if (isFinite(a) && isFinite(b)) {
                    g.setColor(pathColor((i + 0.5) / last));
                    Pixel pa = bounds.toPixel(a[0], a[1], sizePx);
                    Pixel pb = bounds.toPixel(b[0], b[1], sizePx);
                    g.draw(new Line2D.Double(pa.x() + 0.5, pa.y() + 0.5, pb.x() + 0.5, pb.y() + 0.5));
                }
            }
            // markers after all segments so no later segment paints over an earlier marker's centre
            double r = markerRadius(sizePx);
            for (int i = 0; i <= last; i++) {
                float[] p = pathPoints[i];
                if (isFinite(p)) {
                    g.setColor(pathColor(last == 0 ? 0.0 : (double) i / last));
                    dot(g, bounds.toPixel(p[0], p[1], sizePx), r);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Linear RGB blend from {@link #PATH_START} at {@code t = 0} to {@link #PATH_END} at {@code t = 1}. */
    static Color pathColor(double t) {
        double u = Math.max(0.0, Math.min(1.0, t));
        return new Color(
                blend(PATH_START.getRed(), PATH_END.getRed(), u),
                blend(PATH_START.getGreen(), PATH_END.getGreen(), u),
                blend(PATH_START.getBlue(), PATH_END.getBlue(), u));
    }

    private static int blend(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
    }

    // Radii stay above ~0.71 px (half a pixel diagonal) so the centre pixel is always fully covered and,
    // even with antialiasing, carries the exact marker color.
    private static double sampleRadius(int sizePx) {
        return Math.max(1.5, sizePx / 256.0);
    }

    private static double referenceRadius(int sizePx) {
        return Math.max(1.0, sizePx / 400.0);
    }

    private static double markerRadius(int sizePx) {
        return Math.max(2.5, sizePx / 120.0);
    }

    private static Graphics2D canvas(BufferedImage image, Bounds bounds) {
        int size = image.getWidth();
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, size, size);
        g.setColor(AXIS);
        if (bounds.minX() < 0 && bounds.maxX() > 0) {
            g.fillRect(bounds.toPixel(0, 0, size).x(), 0, 1, size);
        }
        if (bounds.minY() < 0 && bounds.maxY() > 0) {
            g.fillRect(0, bounds.toPixel(0, 0, size).y(), size, 1);
        }
        return g;
    }

    private static void drawReference(Graphics2D g, Bounds bounds, float[][] reference, int sizePx) {
        if (reference == null) {
            return;
        }
        double r = referenceRadius(sizePx);
        g.setColor(REFERENCE);
        for (float[] p : reference) {
            if (isFinite(p)) {
                dot(g, bounds.toPixel(p[0], p[1], sizePx), r);
            }
        }
    }

    private static void dot(Graphics2D g, Pixel at, double r) {
        g.fill(new Ellipse2D.Double(at.x() + 0.5 - r, at.y() + 0.5 - r, 2 * r, 2 * r));
    }

    private static void requireSize(int sizePx) {
        if (sizePx < MIN_SIZE_PX || sizePx > MAX_SIZE_PX) {
            throw new IllegalArgumentException(
                    "sizePx must be in [%d, %d], got %d".formatted(MIN_SIZE_PX, MAX_SIZE_PX, sizePx));
        }
    }

    private static void requirePoints(float[][] set) {
        for (int i = 0; i < set.length; i++) {
            if (set[i] == null || set[i].length != 2) {
                throw new IllegalArgumentException("point " + i + " must be {x, y}");
            }
        }
    }

    private static boolean isFinite(float[] p) {
        return Float.isFinite(p[0]) && Float.isFinite(p[1]);
    }
}
