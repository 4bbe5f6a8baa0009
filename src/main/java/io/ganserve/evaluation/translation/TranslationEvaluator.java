package io.ganserve.evaluation.translation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.ganserve.evaluation.FrechetDistance;
import io.ganserve.gan.cyclegan.CycleGanNetworks;
import io.ganserve.gan.cyclegan.Translation;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.registry.TranslationQuality;

/**
 * Scores a translator in both directions against held-out truth: the score unpaired translation
 * rarely gets, because most unpaired data sets have no pairs. Here the two domains hold the same
 * subjects under the same names, so G(a) can be compared with the real b.
 */
public final class TranslationEvaluator {

    private TranslationEvaluator() {}

    /**
     * @param g A → B
     * @param f B → A
     */
    public static TranslationQuality evaluate(Block g, Block f, TranslatorSpec spec, PairedImages pairs, TranslationJudges judges,
                                  NDManager manager) {
        TranslationQuality.Direction forward = direction(g, f, spec, pairs.a(), pairs.b(), pairs.size(), 1, judges, manager);
        TranslationQuality.Direction backward = direction(f, g, spec, pairs.b(), pairs.a(), pairs.size(), 0, judges, manager);
        return new TranslationQuality(forward, backward, judges.vendorAccuracy(), judges.categoryAccuracy());
    }

    private static TranslationQuality.Direction direction(Block there, Block back, TranslatorSpec spec, float[] source,
                                               float[] truth, int n, int targetDomain, TranslationJudges judges,
                                               NDManager manager) {
        float[] translated = Translation.run(there, spec, manager, source, n);
        float[] reconstructed = Translation.run(back, spec, manager, translated, n);
        int length = spec.imageLength();
        try (NDManager m = manager.newSubManager()) {
            NDArray fake = m.create(translated, CycleGanNetworks.imageShape(spec, n));
            NDArray src = m.create(source, CycleGanNetworks.imageShape(spec, n));
            NDArray real = m.create(truth, CycleGanNetworks.imageShape(spec, n));
            NDArray realFeatures = judges.features(real);
            return new TranslationQuality.Direction(n,
                    meanAbs(translated, truth), meanAbs(source, truth),
                    meanPsnr(translated, truth, length), meanPsnr(source, truth, length),
                    meanAbs(reconstructed, source),
                    FrechetDistance.between(judges.features(fake), realFeatures),
                    FrechetDistance.between(judges.features(src), realFeatures),
                    judges.shareJudged(fake, targetDomain), judges.shareJudged(src, targetDomain));
        }
    }

    /** Mean absolute difference on [0, 1] of two [-1, 1] arrays. */
    static double meanAbs(float[] x, float[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.abs(x[i] - y[i]);
        }
        return sum / x.length / 2;
    }

    /** Mean over images of 10·log10(1 / MSE) on [0, 1]; an exact match counts as 100 dB. */
    static double meanPsnr(float[] x, float[] y, int length) {
        int n = x.length / length;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double squared = 0;
            for (int i = k * length; i < (k + 1) * length; i++) {
                double d = (x[i] - y[i]) / 2.0;
                squared += d * d;
            }
            double mse = squared / length;
            sum += mse == 0 ? 100 : 10 * Math.log10(1 / mse);
        }
        return sum / n;
    }
}
