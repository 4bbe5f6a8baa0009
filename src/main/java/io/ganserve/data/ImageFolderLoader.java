package io.ganserve.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Loads a folder of PNG or JPEG images as an {@link ImageDataset}: sub-folders holding images are
 * classes (labelled by their index in name order), otherwise the folder's own images are an
 * unlabelled set. Every image is centre-cropped to a square and resized to {@code size}.
 */
public final class ImageFolderLoader {

    private static final System.Logger LOG = System.getLogger(ImageFolderLoader.class.getName());

    private ImageFolderLoader() {
    }

    public static ImageDataset load(String name, Path folder, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + size);
        }
        if (!Files.isDirectory(folder)) {
            throw new DatasetUnavailableException(name, List.of(folder),
                    "dataset '" + name + "' not found: there is no folder " + folder);
        }
        ImageFolderLayout layout = ImageFolderLayout.scan(folder);
        if (layout.files().isEmpty()) {
            throw noImages(name, folder);
        }
        List<ResizedImage> images = decodeAll(layout, size);
        if (images.isEmpty()) {
            throw new DatasetUnavailableException(name, List.of(folder), "dataset '" + name + "': none of the "
                    + layout.files().size() + " image files in " + folder + " could be decoded");
        }
        return assemble(name, layout, images, size);
    }

    static DatasetUnavailableException noImages(String name, Path folder) {
        return new DatasetUnavailableException(name, List.of(folder), "dataset '" + name
                + "' not found: folder " + folder + " has no PNG or JPEG images (looked in it and its sub-folders)");
    }

    private record ResizedImage(byte[][] planes, int label) {
    }

    private static List<ResizedImage> decodeAll(ImageFolderLayout layout, int size) {
        // Resamplers are keyed by source side because photos in one folder rarely share a size.
        Map<Integer, SquareResampler> resamplers = new HashMap<>();
        List<ResizedImage> images = new ArrayList<>(layout.files().size());
        for (ImageFolderLayout.LabelledFile file : layout.files()) {
            SquarePixels square = decode(file.path());
            if (square == null) {
                continue;
            }
            SquareResampler resampler = resamplers.computeIfAbsent(square.side(),
                    side -> new SquareResampler(side, size));
            byte[][] planes = new byte[square.planes().length][];
            for (int c = 0; c < planes.length; c++) {
                planes[c] = new byte[size * size];
                resampler.resample(square.planes()[c], 0, square.side(), planes[c], 0);
            }
            images.add(new ResizedImage(planes, file.label()));
        }
        return images;
    }

    /** Returns null for a file that looked like an image but does not decode; one bad file should not sink a dataset. */
    private static SquarePixels decode(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                LOG.log(System.Logger.Level.WARNING, "skipping {0}: no image reader accepts it", file);
                return null;
            }
            return SquarePixels.centreSquareOf(image);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "skipping {0}: {1}", file, e.toString());
            return null;
        }
    }

    private static ImageDataset assemble(String name, ImageFolderLayout layout, List<ResizedImage> images, int size) {
        boolean allGray = images.stream().allMatch(image -> image.planes().length == 1);
        int channels = allGray ? 1 : 3;
        int plane = size * size;
        byte[] pixels = new byte[Math.multiplyExact(images.size(), channels * plane)];
        int[] labels = layout.labelled() ? new int[images.size()] : null;
        for (int i = 0; i < images.size(); i++) {
            ResizedImage image = images.get(i);
            for (int c = 0; c < channels; c++) {
                // A gray image in a colour folder repeats its single plane in R, G and B.
                byte[] source = image.planes()[Math.min(c, image.planes().length - 1)];
                System.arraycopy(source, 0, pixels, (i * channels + c) * plane, plane);
            }
            if (labels != null) {
                labels[i] = image.label();
            }
        }
        return new ImageDataset(name, channels, size, size, pixels, labels, layout.classNames().size());
    }
}
