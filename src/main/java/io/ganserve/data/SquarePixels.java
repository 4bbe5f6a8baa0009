package io.ganserve.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;

/**
 * The centred square of a decoded image as 8-bit planes, alpha already composited onto black.
 * One plane when the image is grayscale, three (R, G, B) otherwise.
 */
record SquarePixels(int side, byte[][] planes) {

    boolean gray() {
        return planes.length == 1;
    }

    static SquarePixels centreSquareOf(BufferedImage image) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int left = (image.getWidth() - side) / 2;
        int top = (image.getHeight() - side) / 2;
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return fromGrayRaster(image, left, top, side);
        }
        return fromRgb(image, left, top, side);
    }

    /**
     * Reads gray samples straight from the raster: going through getRGB would convert Java's
     * linear gray space to sRGB and brighten every mid-tone.
     */
    private static SquarePixels fromGrayRaster(BufferedImage image, int left, int top, int side) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        int[] gray = raster.getSamples(left, top, side, side, 0, (int[]) null);
        double grayMax = (1 << model.getComponentSize(0)) - 1;
        int[] alpha = null;
        double alphaMax = 1;
        if (model.hasAlpha() && !model.isAlphaPremultiplied()) {
            int alphaBand = raster.getNumBands() - 1;
            alpha = raster.getSamples(left, top, side, side, alphaBand, (int[]) null);
            alphaMax = (1 << model.getComponentSize(alphaBand)) - 1;
        }
        byte[] plane = new byte[side * side];
        for (int i = 0; i < plane.length; i++) {
            double value = gray[i] / grayMax;
            if (alpha != null) {
                value *= alpha[i] / alphaMax;
            }
            plane[i] = (byte) Math.round(value * 255);
        }
        return new SquarePixels(side, new byte[][] {plane});
    }

    private static SquarePixels fromRgb(BufferedImage image, int left, int top, int side) {
        int[] argb = image.getRGB(left, top, side, side, null, 0, side);
        byte[] red = new byte[argb.length];
        byte[] green = new byte[argb.length];
        byte[] blue = new byte[argb.length];
        boolean allGray = true;
        for (int i = 0; i < argb.length; i++) {
            int alpha = argb[i] >>> 24;
            int r = onBlack((argb[i] >> 16) & 0xFF, alpha);
            int g = onBlack((argb[i] >> 8) & 0xFF, alpha);
            int b = onBlack(argb[i] & 0xFF, alpha);
            allGray &= r == g && g == b;
            red[i] = (byte) r;
            green[i] = (byte) g;
            blue[i] = (byte) b;
        }
        // An RGB file whose pixels are all neutral is a grayscale picture saved by a tool that
        // always writes colour; keeping one plane lets the whole folder train as 1 channel.
        return new SquarePixels(side, allGray ? new byte[][] {red} : new byte[][] {red, green, blue});
    }

    private static int onBlack(int component, int alpha) {
        return (component * alpha + 127) / 255;
    }
}
