package io.ganserve.evaluation.translation;

import io.ganserve.data.EmojiImages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out images that exist in both domains under the same name, in the same order: the
 * truth a translation is compared with, which the unpaired training never saw.
 *
 * @param a the domain-A images, row-major, in [-1, 1]
 * @param b the same subjects in domain B
 */
public record PairedImages(List<String> names, float[] a, float[] b, int imageLength) {

    public int size() {
        return names.size();
    }

    public static PairedImages of(EmojiImages.Named a, EmojiImages.Named b) {
        Map<String, Integer> inB = new HashMap<>();
        for (int i = 0; i < b.names().size(); i++) {
            inB.put(b.names().get(i), i);
        }
        int length = a.images().sampleLength();
        List<String> names = new ArrayList<>();
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.names().size(); i++) {
            Integer j = inB.get(a.names().get(i));
            if (j != null) {
                names.add(a.names().get(i));
                pairs.add(new int[] {i, j});
            }
        }
        float[] pa = new float[pairs.size() * length];
        float[] pb = new float[pairs.size() * length];
        for (int k = 0; k < pairs.size(); k++) {
            a.images().copySample(pairs.get(k)[0], pa, k * length);
            b.images().copySample(pairs.get(k)[1], pb, k * length);
        }
        return new PairedImages(List.copyOf(names), pa, pb, length);
    }

    /** The first {@code n} pairs. */
    public PairedImages first(int n) {
        int k = Math.min(n, size());
        return new PairedImages(names.subList(0, k), java.util.Arrays.copyOf(a, k * imageLength),
                java.util.Arrays.copyOf(b, k * imageLength), imageLength);
    }
}
