package io.ganserve.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What one upload's content became, before it is moved into place: the folder to move, which may
 * lie inside the import folder when a zip wrapped everything in one folder. Width and height are 0
 * where images may differ in size (a zip).
 */
record ImportedDataset(Path folder, String format, int images, List<String> classes, int width, int height) {}
