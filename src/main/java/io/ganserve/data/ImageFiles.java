package io.ganserve.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Finds PNG and JPEG files by their leading bytes, not their names, so a stray README or a
 * mislabelled file is skipped instead of failing the whole load.
 */
final class ImageFiles {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final Comparator<Path> BY_FILE_NAME = Comparator.comparing(path -> path.getFileName().toString());

    private ImageFiles() {
    }

    static boolean isImage(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(PNG_SIGNATURE.length);
            return startsWith(head, PNG_SIGNATURE) || startsWith(head, JPEG_SIGNATURE);
        } catch (IOException e) {
            return false;
        }
    }

    /** Image files directly inside {@code folder}, sorted by name so labels and order are reproducible. */
    static List<Path> imagesIn(Path folder) {
        return visibleEntries(folder, ImageFiles::isImage);
    }

    static boolean containsImage(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(ImageFiles::isVisible).anyMatch(ImageFiles::isImage);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /**
     * Sub-folders sorted by name. Hidden ones are left out: tools such as Jupyter leave
     * checkpoint folders full of images that are not a class.
     */
    static List<Path> subfolders(Path folder) {
        return visibleEntries(folder, Files::isDirectory);
    }

    private static List<Path> visibleEntries(Path folder, Predicate<Path> wanted) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(ImageFiles::isVisible).filter(wanted).sorted(BY_FILE_NAME).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static boolean isVisible(Path entry) {
        return !entry.getFileName().toString().startsWith(".");
    }

    private static boolean startsWith(byte[] head, byte[] signature) {
        if (head.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if (head[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
