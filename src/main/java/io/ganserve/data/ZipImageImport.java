package io.ganserve.data;

import static io.ganserve.data.ClientText.echo;
import static io.ganserve.data.ImportBudget.BUFFER_BYTES;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Imports a zip of PNG/JPEG images: flat, or one folder per class, optionally inside one enclosing
 * folder. Entries are streamed one by one, every byte inflated is counted (skipped entries too) and
 * each image's header is checked before its pixels are decoded, so neither the archive's declared
 * sizes nor an image's can fool the limits.
 */
final class ZipImageImport {

    private static final String MAC_METADATA = "__MACOSX";
    /** Enclosing folder / class folder / file. */
    private static final int MAX_DEPTH = 3;
    private static final int MAX_SEGMENT = 200;

    private final UploadLimits limits;

    ZipImageImport(UploadLimits limits) {
        this.limits = limits;
    }

    ImportedDataset importInto(Path incoming, InputStream in, ImportBudget budget) throws IOException {
        List<List<String>> images = new ArrayList<>();
        int entries = 0;
        try {
            ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
            for (ZipEntry entry = nextEntry(zip); entry != null; entry = nextEntry(zip)) {
                if (++entries > limits.maxEntries()) {
                    throw new InvalidUploadException("file", "holds more than " + limits.maxEntries()
                            + " entries (ganserve.datasets.upload.max-entries)");
                }
                String entryName = entry.getName();
                List<String> segments = segmentsOf(entryName);
                if (entry.isDirectory() || segments.isEmpty() || ignored(segments)) {
                    // inflated and counted all the same: a bomb may hide in an entry nobody keeps
                    copy(zip, OutputStream.nullOutputStream(), budget, "file");
                    continue;
                }
                if (segments.size() > MAX_DEPTH) {
                    throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is nested too deep: "
                            + "images go at the top level or in one folder per class, optionally all inside one folder");
                }
                if (images.size() >= limits.maxImages()) {
                    throw new InvalidUploadException("file", "holds more than " + limits.maxImages()
                            + " images (ganserve.datasets.upload.max-images)");
                }
                Path destination = inside(incoming, segments, entryName);
                extract(zip, destination, entryName, budget);
                checkImage(destination, entryName, budget);
                images.add(segments);
            }
        } catch (ZipException | EOFException e) {
            throw new InvalidUploadException("file", "is not a readable zip archive: " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new InvalidUploadException("file", "holds no PNG or JPEG images"
                    + (entries == 0 ? " (no zip entries at all)" : ""));
        }
        return zipLayout(incoming, images);
    }

    private static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
        try {
            return zip.getNextEntry();
        } catch (IllegalArgumentException e) {
            // ZipInputStream's way of saying an entry name is not valid UTF-8
            throw new InvalidUploadException("file", "has an entry whose name is not valid UTF-8", e);
        }
    }

    /**
     * The entry's path segments; refuses absolute paths and {@code ..} (zip slip). Backslashes count
     * as separators, since Windows tools write them, and "." and empty segments are dropped.
     */
    private static List<String> segmentsOf(String entryName) {
        if (entryName.indexOf('\0') >= 0) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' has a NUL character in its name");
        }
        String path = entryName.replace('\\', '/');
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is an absolute path; entries "
                    + "must be relative to the archive");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' climbs out of the archive "
                        + "with '..'");
            }
            if (segment.length() > MAX_SEGMENT) {
                throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' has a name part longer "
                        + "than " + MAX_SEGMENT + " characters");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** Hidden files and folders, and the resource forks macOS adds to every zip it makes. */
    private static boolean ignored(List<String> segments) {
        return segments.getFirst().equals(MAC_METADATA) || segments.stream().anyMatch(s -> s.startsWith("."));
    }

    private static Path inside(Path folder, List<String> segments, String entryName) {
        Path path = folder;
        for (String segment : segments) {
            path = path.resolve(segment);
        }
        path = path.normalize();
        // segmentsOf already refused '..' and absolute names; this holds even if it is ever loosened
        if (!path.startsWith(folder) || path.equals(folder)) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' points outside the archive");
        }
        return path;
    }

    private void extract(ZipInputStream zip, Path destination, String entryName, ImportBudget budget)
            throws IOException {
        try {
            Files.createDirectories(destination.getParent());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(destination,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER_BYTES)) {
                copy(zip, out, budget, "file");
            }
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' appears twice, or clashes with "
                    + "another entry's folder", e);
        }
    }

    private void checkImage(Path file, String entryName, ImportBudget budget) throws IOException {
        if (!ImageFiles.isImage(file)) {
            throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is not a PNG or JPEG image");
        }
        int width;
        int height;
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw undecodable(entryName, e);
                }
                if (width <= 0 || height <= 0 || width > limits.maxImageSide() || height > limits.maxImageSide()) {
                    throw new InvalidUploadException("file", "entry '" + echo(entryName) + "' is " + width + " x "
                            + height + " pixels; each side may be at most " + limits.maxImageSide()
                            + " (ganserve.datasets.upload.max-image-side)");
                }
                long decoded;
                try {
                    decoded = decodedBytes(reader, width, height);
                } catch (IOException | RuntimeException e) {
                    throw undecodable(entryName, e);
                }
                budget.decode(decoded, width, height, entryName);
                try {
                    // decoded exactly as training will decode it, so what passes here also loads there
                    BufferedImage image = reader.read(0);
                    SquarePixels.centreSquareOf(image);
                } catch (IOException | RuntimeException e) {
                    throw undecodable(entryName, e);
                }
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * What decoding will allocate for the image's pixels, from its header alone: the raw image type
     * says how many bands and bits each pixel has (16-bit RGBA is 8 bytes a pixel, grey 1). A reader
     * that cannot say (some JPEG colour spaces) is counted as 8-bit RGBA, the most a JPEG decodes to.
     */
    private static long decodedBytes(ImageReader reader, int width, int height) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        long bitsPerPixel = 32;
        if (raw != null) {
            bitsPerPixel = 0;
            for (int bits : raw.getSampleModel().getSampleSize()) {
                bitsPerPixel += bits;
            }
        }
        return ((long) width * height * bitsPerPixel + 7) / 8;
    }

    private static InvalidUploadException undecodable(String entryName, Exception e) {
        return new InvalidUploadException("file", "entry '" + echo(entryName) + "' does not decode as an image ("
                + echo(String.valueOf(e.getMessage())) + ")", e);
    }

    /**
     * Decides the folder layout: one folder enclosing everything is stripped; then images are all
     * loose (unlabelled) or all in class folders, never both, as the image-folder loader would
     * otherwise drop the loose ones.
     */
    private static ImportedDataset zipLayout(Path incoming, List<List<String>> images) {
        String enclosing = images.getFirst().getFirst();
        boolean wrapped = images.stream().allMatch(s -> s.size() >= 2 && s.getFirst().equals(enclosing));
        int strip = wrapped ? 1 : 0;
        Path folder = wrapped ? incoming.resolve(enclosing) : incoming;
        boolean loose = false;
        TreeSet<String> classes = new TreeSet<>();
        for (List<String> segments : images) {
            int depth = segments.size() - strip;
            if (depth > 2) {
                throw new InvalidUploadException("file", "entry '" + String.join("/", segments) + "' is nested too "
                        + "deep: images go at the top level or in one folder per class, optionally all inside one folder");
            }
            if (depth == 1) {
                loose = true;
            } else {
                classes.add(segments.get(strip));
            }
        }
        if (loose && !classes.isEmpty()) {
            throw new InvalidUploadException("file", "mixes loose images with class folders " + classes
                    + ": put every image in a class folder, or none");
        }
        return new ImportedDataset(folder, "zip", images.size(), List.copyOf(classes), 0, 0);
    }

    private static void copy(InputStream in, OutputStream out, ImportBudget budget, String field) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            budget.spend(read, field);
            out.write(buffer, 0, read);
        }
    }
}
