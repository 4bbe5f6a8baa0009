package io.ganserve.data;

import java.time.Instant;
import java.util.List;

/**
 * A dataset as {@code GET /datasets} shows it. Fields that cannot be known cheaply, or do not
 * apply, are null.
 *
 * @param kind {@code points} or {@code images}
 * @param source {@code builtin}, {@code uploaded} (through {@code POST /datasets}) or {@code folder}
 *               (a folder put under the image folder root by hand)
 * @param available whether a job can train on it now; {@code problem} says why not
 * @param format {@code mixture}, {@code idx}, {@code images} (a folder) or {@code zip} (an uploaded one)
 * @param samples points materialised, or images
 * @param classes number of classes; 0 when unlabelled
 * @param classNames class folder names (label order), or "0".."K-1" for uploaded IDX labels
 * @param width the images' width when they share one
 * @param bytes bytes on disk, for uploads
 * @param filename the uploaded file's name
 */
public record DatasetSummary(String name, String kind, String source, boolean available, String format,
                             Boolean labelled, Integer samples, Integer classes, List<String> classNames,
                             Integer width, Integer height, Long bytes, Instant uploadedAt, String filename,
                             String problem) {}
