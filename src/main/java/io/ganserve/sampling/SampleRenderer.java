package io.ganserve.sampling;

import io.ganserve.data.DatasetCatalog;
import io.ganserve.sampling.render.ImageBatch;
import io.ganserve.sampling.render.ImageGrid;
import io.ganserve.sampling.render.PngEncoder;
import io.ganserve.sampling.render.ScatterPlot;
import io.ganserve.sampling.render.ZipArchive;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns {@link Samples} into what a person looks at: PNG grids and strips for images; for point
 * data, scatter plots over the real distribution.
 */
public final class SampleRenderer {

    private static final int PADDING = 2;
    private static final int PLOT_SIZE = 512;
    private static final int STRIP_PLOT_SIZE = 256;
    private static final int REFERENCE_POINTS = 2000;

    private final DatasetCatalog catalog;
    private final int tileScale;
    private final Map<String, float[][]> referenceByDataset = new ConcurrentHashMap<>();

    public SampleRenderer(DatasetCatalog catalog, int tileScale) {
        this.catalog = catalog;
        this.tileScale = tileScale;
    }

    /** A grid of images with {@code ceil(sqrt(n))} columns, or a scatter plot of points. */
    public byte[] gridPng(Samples samples) {
        if (samples.isImage()) {
            return PngEncoder.encode(ImageGrid.grid(images(samples), ImageGrid.defaultColumns(samples.count()),
                    PADDING, tileScale));
        }
        return PngEncoder.encode(ScatterPlot.plot(points(samples), reference(samples), PLOT_SIZE));
    }

    /**
     * A grid of images with {@code columns} per row (one row per class for per-class samples); for
     * points, the scatter plot, where rows have no meaning.
     */
    public byte[] gridPng(Samples samples, int columns) {
        if (samples.isImage()) {
            return PngEncoder.encode(ImageGrid.grid(images(samples), columns, PADDING, tileScale));
        }
        return gridPng(samples);
    }

    /**
     * An upper bound on the bytes {@link #gridPng(Samples)} writes for {@code n} samples of
     * {@code spec}: the picture's raw pixels (1 byte each in grey, 3 in colour, 4 for a plot), PNG's
     * filter byte per row and deflate's worst case (stored blocks, 5 bytes per 65,535), plus its headers.
     */
    public long gridPngBytesBound(io.ganserve.gan.NetworkSpec spec, int n) {
        long width = PLOT_SIZE;
        long height = PLOT_SIZE;
        long bytesPerPixel = 4;
        if (spec.isImage()) {
            bytesPerPixel = spec.sampleShape().get(0) == 1 ? 1 : 3;
            int columns = ImageGrid.defaultColumns(n);
            int rows = Math.ceilDiv(n, columns);
            long tile = (long) spec.sampleShape().get(1) * tileScale;
            width = columns * tile + (columns + 1L) * PADDING;
            height = rows * tile + (rows + 1L) * PADDING;
        }
        return PngEncoder.bytesBound(width, height, (int) bytesPerPixel);
    }

    /** {@code rows} strips of {@code steps} outputs: images side by side, or a path per row for points. */
    public byte[] stripsPng(Samples samples, int rows, int steps) {
        if (samples.isImage()) {
            return PngEncoder.encode(ImageGrid.strips(images(samples), rows, steps, PADDING, tileScale));
        }
        float[][] all = points(samples);
        BufferedImage canvas = new BufferedImage(STRIP_PLOT_SIZE, STRIP_PLOT_SIZE * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            for (int r = 0; r < rows; r++) {
                float[][] path = new float[steps][];
                System.arraycopy(all, r * steps, path, 0, steps);
                g.drawImage(ScatterPlot.strip(path, reference(samples), STRIP_PLOT_SIZE), 0, r * STRIP_PLOT_SIZE, null);
            }
        } finally {
            g.dispose();
        }
        return PngEncoder.encode(canvas);
    }

    /** One PNG per sample: the image itself, or the point over the real data. */
    public byte[] zip(Samples samples) {
        List<BufferedImage> files = new ArrayList<>(samples.count());
        if (samples.isImage()) {
            ImageBatch batch = images(samples);
            for (int i = 0; i < samples.count(); i++) {
                files.add(batch.toImage(i));
            }
        } else {
            float[][] all = points(samples);
            for (float[] p : all) {
                files.add(ScatterPlot.plot(new float[][] {p}, reference(samples), STRIP_PLOT_SIZE));
            }
        }
        return ZipArchive.pngs(files, "sample");
    }

    private static ImageBatch images(Samples samples) {
        List<Integer> shape = samples.sampleShape();
        return new ImageBatch(samples.count(), shape.get(0), shape.get(1), shape.get(2), samples.data());
    }

    static float[][] points(Samples samples) {
        float[][] points = new float[samples.count()][];
        for (int i = 0; i < samples.count(); i++) {
            points[i] = samples.sample(i);
        }
        return points;
    }

    private float[][] reference(Samples samples) {
        String dataset = samples.model().dataset();
        return referenceByDataset.computeIfAbsent(dataset, name -> catalog.mixture(name)
                .map(m -> m.sample(REFERENCE_POINTS, new Random(0)))
                .orElse(new float[0][]));
    }
}
