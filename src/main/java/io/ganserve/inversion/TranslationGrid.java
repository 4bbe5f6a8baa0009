package io.ganserve.inversion;

import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.sampling.render.ImageBatch;
import io.ganserve.sampling.render.ImageGrid;
import io.ganserve.sampling.render.PngEncoder;
import java.util.List;

/**
 * Translations as the CycleGAN paper's figures show them: one example a row, the source, its
 * translation and the round trip back. The held-out grids of {@code GET /jobs/{id}/translations}
 * and a translator's progress grids are drawn here, so both look the same.
 */
public final class TranslationGrid {

    /** The columns, left to right (the console writes them over the picture). */
    public static final List<String> COLUMNS = List.of("source", "translation", "reconstruction");

    private static final int PADDING = 2;

    private TranslationGrid() {}

    public static byte[] png(TranslationService.Translated t) {
        TranslatorSpec spec = t.translator().spec();
        int length = spec.imageLength();
        float[] cells = new float[COLUMNS.size() * t.count() * length];
        for (int i = 0; i < t.count(); i++) {
            int row = COLUMNS.size() * i * length;
            toUnit(t.input(), i, cells, row, length);
            toUnit(t.output(), i, cells, row + length, length);
            toUnit(t.roundTrip(), i, cells, row + 2 * length, length);
        }
        ImageBatch batch = new ImageBatch(COLUMNS.size() * t.count(), spec.channels(), spec.side(), spec.side(), cells);
        return PngEncoder.encode(ImageGrid.grid(batch, COLUMNS.size(), PADDING, scale(spec)));
    }

    /** At most the bytes {@link #png} writes for {@code rows} examples of {@code spec}. */
    public static long pngBytesBound(TranslatorSpec spec, int rows) {
        long tile = (long) spec.side() * scale(spec);
        long width = COLUMNS.size() * tile + (COLUMNS.size() + 1L) * PADDING;
        long height = rows * tile + (rows + 1L) * PADDING;
        return PngEncoder.bytesBound(width, height, spec.channels() == 1 ? 1 : 3);
    }

    /** Small translators' tiles at twice their size, so a 32 px emoji reads on a screen. */
    private static int scale(TranslatorSpec spec) {
        return spec.side() < 64 ? 2 : 1;
    }

    /** Copies image {@code i} of {@code from} ([-1, 1]) into {@code to} at {@code at}, in [0, 1]. */
    public static void toUnit(float[] from, int i, float[] to, int at, int length) {
        for (int k = 0; k < length; k++) {
            to[at + k] = Math.clamp((from[i * length + k] + 1f) / 2f, 0f, 1f);
        }
    }
}
