package io.ganserve.sampling.render;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Objects;

/**
 * Tiles an {@link ImageBatch} into one contact sheet. Tiles are upscaled by whole pixels
 * (nearest neighbour) because smoothing a 28x28 digit blurs exactly the detail one wants to judge.
 */
public final class ImageGrid {

    /** Border level: mid gray separates tiles both from black (MNIST background) and white strokes. */
    static final int BORDER_LEVEL = 128;

    private ImageGrid() {
    }

    /** Columns for a roughly square sheet: {@code ceil(sqrt(n))}, at least 1. */
    public static int defaultColumns(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int columns = (int) Math.sqrt(n);
        // sqrt in double can land just below an exact root; fix up with integer arithmetic
        while ((long) columns * columns < n) {
            columns++;
        }
        return Math.max(1, columns);
    }

    /**
     * Row-major grid of {@code ceil(n / columns)} rows. Size: {@code columns*(w*scale) + (columns+1)*padding}
     * by {@code rows*(h*scale) + (rows+1)*padding}; cells past the last image stay border-colored.
     */
    public static BufferedImage grid(ImageBatch batch, int columns, int padding, int scale) {
        Objects.requireNonNull(batch, "batch");
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
        requireNonEmpty(batch);
        int rows = Math.ceilDiv(batch.count(), columns);
        return tile(batch, rows, columns, padding, scale);
    }

    /**
     * Interpolation strips: {@code rows} rows of {@code stepsPerRow} images each, in batch order, with
     * the same geometry rule as {@link #grid}. The batch must hold exactly {@code rows * stepsPerRow}
     * images, since a short or long batch means the caller lost track of its paths.
     */
    public static BufferedImage strips(ImageBatch batch, int rows, int stepsPerRow, int padding, int scale) {
        Objects.requireNonNull(batch, "batch");
        if (rows < 1 || stepsPerRow < 1) {
            throw new IllegalArgumentException(
                    "rows and stepsPerRow must be >= 1, got %d and %d".formatted(rows, stepsPerRow));
        }
        if ((long) rows * stepsPerRow != batch.count()) {
            throw new IllegalArgumentException("batch has %d images, strips need %d x %d"
                    .formatted(batch.count(), rows, stepsPerRow));
        }
        return tile(batch, rows, stepsPerRow, padding, scale);
    }

    private static void requireNonEmpty(ImageBatch batch) {
        if (batch.count() == 0) {
            throw new IllegalArgumentException("cannot render an empty batch");
        }
    }

    private static BufferedImage tile(ImageBatch batch, int rows, int columns, int padding, int scale) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        }
        int tileW = Math.multiplyExact(batch.width(), scale);
        int tileH = Math.multiplyExact(batch.height(), scale);
        int width = Math.addExact(Math.multiplyExact(columns, tileW), Math.multiplyExact(columns + 1, padding));
        int height = Math.addExact(Math.multiplyExact(rows, tileH), Math.multiplyExact(rows + 1, padding));
        BufferedImage sheet = new BufferedImage(width, height,
                batch.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster raster = sheet.getRaster();
        fill(raster, BORDER_LEVEL);
        for (int i = 0; i < batch.count(); i++) {
            int row = i / columns;
            int column = i % columns;
            int x0 = padding + column * (tileW + padding);
            int y0 = padding + row * (tileH + padding);
            batch.writeTile(i, raster, x0, y0, scale);
        }
        return sheet;
    }

    private static void fill(WritableRaster raster, int level) {
        byte[] grey = PixelBuffers.grey(raster);
        if (grey != null) {
            Arrays.fill(grey, (byte) level); // a new sheet: its buffer is all of it
            return;
        }
        int[] rgb = PixelBuffers.rgb(raster);
        if (rgb != null) {
            Arrays.fill(rgb, level << 16 | level << 8 | level);
            return;
        }
        int bands = raster.getNumBands();
        int[] row = new int[raster.getWidth() * bands];
        Arrays.fill(row, level);
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.setPixels(0, y, raster.getWidth(), 1, row);
        }
    }
}
