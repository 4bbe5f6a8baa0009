package io.ganserve.data;

import java.time.Instant;
import java.util.List;

/**
 * What an upload imported, written beside the data as {@value DatasetImporter#MANIFEST} (a hidden
 * file, which the image-folder loader never reads) inside the same atomic move as the data.
 *
 * @param format {@code zip} (PNG/JPEG files) or {@code idx}
 * @param images number of images
 * @param classes class names in label order: the zip's class folders, or "0".."K-1" for IDX labels;
 *                empty when unlabelled
 * @param width the images' width when they all share one (IDX), else 0
 * @param height likewise
 * @param bytes bytes stored on disk
 * @param filename the uploaded file's name as the client sent it
 */
public record DatasetManifest(String name, String format, int images, List<String> classes, int width, int height,
                              long bytes, Instant uploadedAt, String filename) {

    public DatasetManifest {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }
}
