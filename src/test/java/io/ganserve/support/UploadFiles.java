package io.ganserve.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Upload files made in the test: PNGs, zips (good and malicious) and IDX files. */
public final class UploadFiles {

    public static final int IDX_IMAGES_MAGIC = 0x00000803;
    public static final int IDX_LABELS_MAGIC = 0x00000801;

    private UploadFiles() {}

    /** A gray PNG: a white disc or square of random size and place on black. */
    public static byte[] shapePng(int side, String shape, Random rng) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        int extent = side / 3 + rng.nextInt(Math.max(1, side / 4));
        int x = rng.nextInt(Math.max(1, side - extent));
        int y = rng.nextInt(Math.max(1, side - extent));
        if (shape.equals("disc")) {
            g.fillOval(x, y, extent, extent);
        } else {
            g.fillRect(x, y, extent, extent);
        }
        g.dispose();
        return png(image);
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(int width, int height) {
        return png(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY));
    }

    /**
     * A valid 1 x 1 PNG whose IHDR then claims {@code width} x {@code height} (CRC fixed up): a
     * decoder trusting it would allocate width x height pixels.
     */
    public static byte[] pngClaiming(int width, int height) {
        byte[] png = png(1, 1);
        // signature (8) + IHDR length (4) + "IHDR" (4), then width and height
        ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17); // chunk type and its 13 data bytes
        ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        return png;
    }

    /**
     * A real, valid PNG of all-zero pixels, written chunk by chunk so that no image of that size is
     * ever held in memory: {@code colourType} 6 is RGBA, 0 grey; {@code bitDepth} 8 or 16. Zeros
     * deflate about a thousandfold, so a 4096 x 4096 16-bit RGBA image (128 MB of pixels) is a
     * file of about 130 KB: a decoded-pixel bomb.
     */
    public static byte[] zeroPng(int width, int height, int colourType, int bitDepth) {
        int channels = colourType == 6 ? 4 : colourType == 2 ? 3 : 1;
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", header.array());
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream deflate = new java.util.zip.DeflaterOutputStream(compressed,
                new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION), 1 << 16)) {
            byte[] row = new byte[1 + width * channels * bitDepth / 8]; // filter byte 0, then the samples
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Class folders of {@code perClass} shape PNGs each, optionally inside one enclosing folder. */
    public static Map<String, byte[]> shapeEntries(String enclosing, List<String> classes, int perClass, int side,
                                                   long seed) {
        Random rng = new Random(seed);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String shape : classes) {
            for (int i = 0; i < perClass; i++) {
                entries.put((enclosing == null ? "" : enclosing + "/") + shape + "/" + shape + "-" + i + ".png",
                        shapePng(side, shape, rng));
            }
        }
        return entries;
    }

    /** A zip of the entries in order; a name ending in '/' is a folder entry. */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                if (entry.getValue() != null) {
                    zip.write(entry.getValue());
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One entry of {@code zeroBytes} zeros, written in chunks: megabytes that deflate to kilobytes. */
    public static byte[] zipBomb(String entryName, long zeroBytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry(entryName));
            byte[] zeros = new byte[1 << 16];
            for (long written = 0; written < zeroBytes; written += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, zeroBytes - written));
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] idx(int magic, int[] dimensions, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int dimension : dimensions) {
                out.writeInt(dimension);
            }
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code count} images of {@code side} x {@code side}: image i is a bright bar at row i % side. */
    public static byte[] idxImages(int count, int side) {
        byte[] pixels = new byte[count * side * side];
        for (int i = 0; i < count; i++) {
            int row = i % side;
            for (int x = 0; x < side; x++) {
                pixels[i * side * side + row * side + x] = (byte) 255;
            }
        }
        return idx(IDX_IMAGES_MAGIC, new int[] {count, side, side}, pixels);
    }

    public static byte[] idxLabels(int count, int classes) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % classes);
        }
        return idx(IDX_LABELS_MAGIC, new int[] {count}, labels);
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
