package io.ganserve.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which image files of a folder make up the dataset and with which labels. When sub-folders
 * hold images each one is a class and loose top-level files are ignored, because mixing
 * labelled and unlabelled samples would leave the unlabelled ones without a class.
 */
record ImageFolderLayout(List<String> classNames, List<LabelledFile> files) {

    record LabelledFile(Path path, int label) {
    }

    ImageFolderLayout {
        classNames = List.copyOf(classNames);
        files = List.copyOf(files);
    }

    static ImageFolderLayout scan(Path folder) {
        List<String> classNames = new ArrayList<>();
        List<LabelledFile> files = new ArrayList<>();
        for (Path subfolder : ImageFiles.subfolders(folder)) {
            List<Path> images = ImageFiles.imagesIn(subfolder);
            if (images.isEmpty()) {
                continue;
            }
            int label = classNames.size();
            classNames.add(subfolder.getFileName().toString());
            images.forEach(image -> files.add(new LabelledFile(image, label)));
        }
        if (classNames.isEmpty()) {
            ImageFiles.imagesIn(folder).forEach(image -> files.add(new LabelledFile(image, -1)));
        }
        return new ImageFolderLayout(classNames, files);
    }

    /** Cheap check used to describe a folder: stops at the first image found. */
    static boolean hasAnyImage(Path folder) {
        return ImageFiles.containsImage(folder) || hasClassFolder(folder);
    }

    static boolean hasClassFolder(Path folder) {
        return ImageFiles.subfolders(folder).stream().anyMatch(ImageFiles::containsImage);
    }

    boolean labelled() {
        return !classNames.isEmpty();
    }
}
