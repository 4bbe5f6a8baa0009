package io.ganserve.sampling;

import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetInfo;
import io.ganserve.sampling.render.ImageBatch;
import io.ganserve.sampling.render.ImageGrid;
import io.ganserve.sampling.render.PngEncoder;
import io.ganserve.sampling.render.ScatterPlot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a dataset looks like: real images in a grid (one row per class for labelled sets, in label
 * order, up to ten classes), or real points in a scatter plot. Drawn from the held-out split (fashion-mnist's 10,000
 * test images rather than its 60,000, emoji's held-out tenth; a folder has no other split) and kept:
 * a dataset's files do not change under a name, so each is loaded once, one at a time, and later
 * requests get the PNG from memory.
 */
public final class DatasetPreview {

    static final int COLUMNS = 8;
    static final int MAX_ROWS = 10;
    private static final int CACHED = 16;
    private static final int PLOT_SIZE = 512;
    private static final int POINTS = 2000;

    private final DatasetCatalog catalog;
    private final io.ganserve.data.DatasetLibrary library;
    private final io.ganserve.engine.ResourceBudgets budgets;
    private final int tileScale;
    private final Map<String, float[][]> points = new java.util.HashMap<>();
    private final Map<String, byte[]> drawn = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHED;
        }
    };

    /** @param budgets where a dataset's first load reserves its heap; null reserves nothing */
    public DatasetPreview(DatasetCatalog catalog, io.ganserve.data.DatasetLibrary library,
                          io.ganserve.engine.ResourceBudgets budgets, int tileScale) {
        this.catalog = catalog;
        this.library = library;
        this.budgets = budgets;
        this.tileScale = tileScale;
    }

    /**
     * Reserves the request heap for loading {@code name} at {@code side} pixels (0: points): every
     * sample's floats, counted over the whole data set, since its held-out split can be all of it (a
     * folder). Refused with 422 when it could never fit, 503 when others hold the heap now.
     */
    private io.ganserve.engine.MemoryBudget.Reservation reserveLoad(String name, int side) {
        if (budgets == null) {
            return null;
        }
        io.ganserve.data.DatasetSummary summary = library.describe(name);
        long samples = summary.samples() == null ? 0 : summary.samples();
        long length = side == 0 ? 2 : (long) catalog.describe(name).channels() * side * side;
        return budgets.heap().reserve(Float.BYTES * samples * length + (1L << 20), budgets.requestWait(),
                "a preview of dataset " + name + " (" + samples + " samples)");
    }

    /**
     * The dataset's picture as a PNG.
     *
     * @throws io.ganserve.data.DatasetUnavailableException when it is not there to draw
     * @throws IllegalArgumentException for a name that is no dataset's
     */
    public synchronized byte[] png(String name) {
        byte[] cached = drawn.get(name);
        if (cached != null) {
            return cached;
        }
        DatasetInfo info = catalog.describe(name);
        byte[] png = info.kind() == DataKind.POINTS ? points(name) : images(name);
        drawn.put(name, png);
        return png;
    }

    private byte[] points(String name) {
        return PngEncoder.encode(ScatterPlot.plot(realPoints(name), new float[0][], PLOT_SIZE));
    }

    /**
     * 2,000 real points of a point dataset (its held-out sample, always the same ones), for plotting
     * generated points against.
     *
     * @throws IllegalStateException for a dataset of images
     */
    public synchronized float[][] realPoints(String name) {
        float[][] cached = points.get(name);
        if (cached != null) {
            return cached;
        }
        if (catalog.describe(name).kind() != DataKind.POINTS) {
            throw new IllegalStateException("dataset " + name + " holds images, not points");
        }
        float[][] drawn;
        try (var loading = reserveLoad(name, 0)) {
            Dataset data = catalog.loadTestSplit(name, 0);
            Random rng = new Random(0);
            drawn = new float[Math.min(POINTS, data.size())][];
            float[] one = new float[data.sampleShape()[0]];
            for (int i = 0; i < drawn.length; i++) {
                data.copySample(rng.nextInt(data.size()), one, 0);
                drawn[i] = one.clone();
            }
        }
        points.put(name, drawn);
        return drawn;
    }

    private byte[] images(String name) {
        int side = catalog.nativeImageSize(name) > 0 ? catalog.nativeImageSize(name) : 32;
        try (var loading = reserveLoad(name, side)) {
            return grid(catalog.loadTestSplit(name, side));
        }
    }

    private byte[] grid(Dataset data) {
        Pick pick = pick(data);
        List<Integer> picked = pick.indices();
        int[] shape = data.sampleShape();
        int length = shape[0] * shape[1] * shape[2];
        float[] pixels = new float[picked.size() * length];
        for (int i = 0; i < picked.size(); i++) {
            data.copySample(picked.get(i), pixels, i * length);
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (pixels[i] + 1) / 2; // datasets hand out [-1, 1], as the networks see them
        }
        ImageBatch batch = new ImageBatch(picked.size(), shape[0], shape[1], shape[2], pixels);
        return PngEncoder.encode(ImageGrid.grid(batch, pick.columns(), 2, tileScale));
    }

    /** The samples to draw and how many a row. */
    record Pick(List<Integer> indices, int columns) {}

    /**
     * A row per class (the first ten that have images), as wide as the smallest of them allows up to
     * eight, when labelled; else 64 at eight a row; in a fixed random order either way.
     */
    static Pick pick(Dataset data) {
        List<Integer> order = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(0));
        int classes = data.numClasses();
        if (classes == 0) {
            return new Pick(order.subList(0, Math.min(order.size(), COLUMNS * COLUMNS)), COLUMNS);
        }
        Map<Integer, List<Integer>> byClass = new java.util.TreeMap<>();
        for (int index : order) {
            int label = data.label(index);
            if (label < 0) {
                continue;
            }
            List<Integer> row = byClass.computeIfAbsent(label, l -> new ArrayList<>());
            if (row.size() < COLUMNS) {
                row.add(index);
            }
        }
        List<List<Integer>> rows = byClass.values().stream().limit(MAX_ROWS).toList();
        int columns = rows.stream().mapToInt(List::size).min().orElse(0);
        if (columns == 0) {
            return new Pick(order.subList(0, Math.min(order.size(), COLUMNS * COLUMNS)), COLUMNS);
        }
        List<Integer> picked = new ArrayList<>();
        rows.forEach(row -> picked.addAll(row.subList(0, columns)));
        return new Pick(picked, columns);
    }
}
