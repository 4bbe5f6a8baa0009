package io.ganserve.inversion;

import io.ganserve.data.UploadTooLargeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Uploaded images and masks as the generator sees them. The bytes must be a PNG or JPEG (by their
 * leading bytes), no larger than the limit, and of the model's exact size, which is read from the
 * header before any pixel is decoded; a grayscale model takes grayscale images and a colour model
 * colour ones (an alpha channel is ignored). Nothing is resized or converted: a silent conversion
 * would project a different picture from the one the user sent.
 */
final class ImageUploads {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    private final long maxBytes;

    ImageUploads(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** C x H x W pixels in [−1, 1], the generator's range. */
    float[] image(String field, byte[] bytes, int channels, int side) {
        return image(field, bytes, channels, side, false);
    }

    /**
     * @param onWhite composite a transparent image on white first, as the emoji data sets are (their
     *     transparent pixels hold arbitrary colours), instead of ignoring its alpha channel
     */
    float[] image(String field, byte[] bytes, int channels, int side, boolean onWhite) {
        BufferedImage image = decode(field, bytes, side);
        if (onWhite && image.getColorModel().hasAlpha()) {
            BufferedImage flat = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = flat.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, side, side);
            g.drawImage(image, 0, 0, null);
            g.dispose();
            image = flat;
        }
        int colours = image.getColorModel().getNumColorComponents();
        if (colours != channels) {
            throw new InvalidImageException(field, "must have " + channels + (channels == 1 ? " channel (grayscale)"
                    : " channels (RGB)") + " like the model's images; this image has " + colours);
        }
        float[] out = new float[channels * side * side];
        var raster = image.getRaster();
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    out[(c * side + y) * side + x] = raster.getSample(x, y, c) / 127.5f - 1f;
                }
            }
        }
        return out;
    }

    /**
     * 1 where a pixel is known, 0 where it is to be filled, repeated over the model's channels: a
     * mask is white (a value of 128 or more, on any channel's average) where the image is hidden.
     */
    float[] mask(String field, byte[] bytes, int channels, int side) {
        BufferedImage image = decode(field, bytes, side);
        var raster = image.getRaster();
        int bands = image.getColorModel().getNumColorComponents();
        float[] visible = new float[channels * side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double sum = 0;
                for (int b = 0; b < bands; b++) {
                    sum += raster.getSample(x, y, b);
                }
                float known = sum / bands >= 128 ? 0 : 1;
                for (int c = 0; c < channels; c++) {
                    visible[(c * side + y) * side + x] = known;
                }
            }
        }
        return visible;
    }

    private BufferedImage decode(String field, byte[] bytes, int side) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException(field, "is required: a PNG or JPEG of " + side + " x " + side + " pixels");
        }
        if (bytes.length > maxBytes) {
            throw new UploadTooLargeException(field, "is larger than " + maxBytes
                    + " bytes (ganserve.inversion.max-upload-bytes)");
        }
        if (!startsWith(bytes, PNG) && !startsWith(bytes, JPEG)) {
            throw new InvalidImageException(field, "must be a PNG or JPEG image");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidImageException(field, "must be a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width != side || height != side) {
                    throw new InvalidImageException(field, "must be " + side + " x " + side
                            + " pixels like the model's images; this one is " + width + " x " + height);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException invalid) {
                throw invalid;
            }
            throw new InvalidImageException(field, "could not be decoded as a PNG or JPEG image: " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] signature) {
        if (bytes.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if (bytes[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
