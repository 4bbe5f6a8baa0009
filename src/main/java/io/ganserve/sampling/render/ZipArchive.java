package io.ganserve.sampling.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Packs rendered images into a zip for bulk download. */
public final class ZipArchive {

    // Entry names end up as file paths on the user's disk; keep them to a single plain path segment.
    private static final Pattern SAFE_PREFIX = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private ZipArchive() {
    }

    /** One PNG per image, named {@code prefix-0000.png}, {@code prefix-0001.png}, ... in list order. */
    public static byte[] pngs(List<BufferedImage> images, String prefix) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(prefix, "prefix");
        if (!SAFE_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must match " + SAFE_PREFIX + ", got '" + prefix + "'");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < images.size(); i++) {
                byte[] png = PngEncoder.encode(Objects.requireNonNull(images.get(i), "image " + i));
                zip.putNextEntry(storedEntry(entryName(prefix, i), png));
                zip.write(png);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("zip writing failed", e);
        }
        return bytes.toByteArray();
    }

    static String entryName(String prefix, int index) {
        return "%s-%04d.png".formatted(prefix, index);
    }

    /** PNG data is already deflated; storing it skips a second compression pass that gains nothing. */
    private static ZipEntry storedEntry(String name, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        return entry;
    }
}
