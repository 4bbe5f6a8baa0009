package io.ganserve.sampling.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes images as PNG bytes for HTTP responses and archives. */
public final class PngEncoder {

    private PngEncoder() {
    }

    public static byte[] encode(BufferedImage img) {
        Objects.requireNonNull(img, "img");
        ImageWriter writer = pngWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // An explicit memory-cached stream: ImageIO.write(img, "png", OutputStream) would spill to a temp
        // file under the default (global) ImageIO cache setting, which a server should not depend on.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(img);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * An upper bound on the bytes {@link #encode} writes for a picture of {@code width} x
     * {@code height} at {@code bytesPerPixel} (1 grey, 3 colour, 4 with alpha): the raw pixels, PNG's
     * filter byte per row, deflate's worst case (stored blocks, 5 bytes per 65,535) and the headers.
     */
    public static long bytesBound(long width, long height, int bytesPerPixel) {
        long raw = bytesPerPixel * width * height + height;
        return raw + 5 * (raw / 65_535 + 1) + 1024;
    }

    private static ImageWriter pngWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no PNG ImageWriter available in this JDK");
        }
        return writers.next();
    }
}
