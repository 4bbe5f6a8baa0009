package io.ganserve.sampling.render;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A batch of generated images as the generator emits them: {@code count x channels x height x width}
 * floats in {@code [0, 1]}, channel-major (NCHW) like DJL/PyTorch tensors, so callers can hand over
 * {@code NDArray.toFloatArray()} without reshuffling.
 *
 * <p>The pixel array is not copied: batches can be tens of megabytes and are produced once, rendered
 * once and dropped. Callers must not mutate it afterwards.
 */
public record ImageBatch(int count, int channels, int height, int width, float[] pixels) {

    public ImageBatch {
        Objects.requireNonNull(pixels, "pixels");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
        }
        if (count < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "need count >= 0 and positive height/width, got %d x %d x %d".formatted(count, height, width));
        }
        // multiplyExact so an absurd shape fails loudly instead of wrapping into a length that happens to match
        long expected = Math.multiplyExact(Math.multiplyExact((long) count, channels), (long) height * width);
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has %d values but %d x %d x %d x %d = %d"
                    .formatted(pixels.length, count, channels, height, width, expected));
        }
    }

    /** Renders image {@code index}: {@code TYPE_BYTE_GRAY} for one channel, {@code TYPE_INT_RGB} for three. */
    public BufferedImage toImage(int index) {
        Objects.checkIndex(index, count);
        BufferedImage image = new BufferedImage(width, height,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        writeTile(index, image.getRaster(), 0, 0, 1);
        return image;
    }

    /** All images in batch order, e.g. for {@link ZipArchive#pngs}. */
    public List<BufferedImage> toImages() {
        List<BufferedImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(toImage(i));
        }
        return images;
    }

    /**
     * Writes image {@code index} into {@code raster} at {@code (x0, y0)}, each source pixel becoming a
     * {@code scale x scale} block. Goes through the raster rather than {@code setRGB} because
     * {@code setRGB} on a gray image converts sRGB to linear gray and would darken every level.
     */
    void writeTile(int index, WritableRaster raster, int x0, int y0, int scale) {
        int plane = height * width;
        int base = index * channels * plane;
        int stride = raster.getWidth();
        // the two pictures grids are drawn on, written in their own buffers: a request's grid is
        // otherwise a call through the raster per output pixel, most of its rendering time
        byte[] grey = channels == 1 ? PixelBuffers.grey(raster) : null;
        int[] rgb = channels == 3 ? PixelBuffers.rgb(raster) : null;
        if (grey != null) {
            for (int y = 0; y < height; y++) {
                int row = (y0 + y * scale) * stride + x0;
                for (int x = 0; x < width; x++) {
                    byte v = (byte) level(pixels[base + y * width + x]);
                    for (int dx = 0; dx < scale; dx++) {
                        grey[row + x * scale + dx] = v;
                    }
                }
                for (int dy = 1; dy < scale; dy++) {
                    System.arraycopy(grey, row, grey, row + dy * stride, width * scale);
                }
            }
            return;
        }
        if (rgb != null) {
            for (int y = 0; y < height; y++) {
                int row = (y0 + y * scale) * stride + x0;
                for (int x = 0; x < width; x++) {
                    int at = base + y * width + x;
                    int v = level(pixels[at]) << 16 | level(pixels[at + plane]) << 8 | level(pixels[at + 2 * plane]);
                    for (int dx = 0; dx < scale; dx++) {
                        rgb[row + x * scale + dx] = v;
                    }
                }
                for (int dy = 1; dy < scale; dy++) {
                    System.arraycopy(rgb, row, rgb, row + dy * stride, width * scale);
                }
            }
            return;
        }
        int[] sample = new int[channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    sample[c] = level(pixels[base + c * plane + y * width + x]);
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        raster.setPixel(x0 + x * scale + dx, y0 + y * scale + dy, sample);
                    }
                }
            }
        }
    }

    /** Maps a [0, 1] value to 0..255; NaN (a diverged generator) renders black rather than failing. */
    static int level(float value) {
        if (Float.isNaN(value)) {
            return 0;
        }
        double clamped = Math.max(0.0, Math.min(1.0, value));
        return (int) Math.round(clamped * 255.0);
    }
}
