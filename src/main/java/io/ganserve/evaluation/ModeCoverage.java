package io.ganserve.evaluation;

import io.ganserve.data.GaussianMixture;
import java.util.Arrays;
import java.util.Objects;

/**
 * Mode coverage of generated 2-D samples against a Gaussian mixture, following the protocol of
 * VEEGAN and PacGAN: a sample is high quality when it lies within three standard deviations of
 * its nearest mode, a mode is covered when some high-quality sample is nearest to it, and the
 * reverse KL compares the spread of high-quality samples over modes with the uniform one.
 */
public final class ModeCoverage {

    private static final double HIGH_QUALITY_STDS = 3.0;

    private ModeCoverage() {
    }

    /**
     * @param histogram high-quality samples per mode, indexed like the mixture's modes
     * @param reverseKl KL(p || uniform); +Infinity when no sample is of high quality
     */
    public record Result(int modesCovered, int modeCount, double highQualityFraction, double reverseKl,
            int[] histogram) {

        public Result {
            histogram = histogram.clone();
        }

        @Override
        public int[] histogram() {
            return histogram.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Result that
                    && modesCovered == that.modesCovered
                    && modeCount == that.modeCount
                    && Double.compare(highQualityFraction, that.highQualityFraction) == 0
                    && Double.compare(reverseKl, that.reverseKl) == 0
                    && Arrays.equals(histogram, that.histogram);
        }

        @Override
        public int hashCode() {
            return Objects.hash(modesCovered, modeCount, highQualityFraction, reverseKl, Arrays.hashCode(histogram));
        }

        @Override
        public String toString() {
            return "Result[modesCovered=" + modesCovered + "/" + modeCount + ", highQualityFraction="
                    + highQualityFraction + ", reverseKl=" + reverseKl + ", histogram=" + Arrays.toString(histogram) + "]";
        }
    }

    /** As {@link #evaluate(GaussianMixture, float[][])}, for points laid out x0, y0, x1, y1, … */
    public static Result evaluate(GaussianMixture mixture, float[] flatPoints) {
        float[][] points = new float[flatPoints.length / 2][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new float[] {flatPoints[2 * i], flatPoints[2 * i + 1]};
        }
        return evaluate(mixture, points);
    }

    public static Result evaluate(GaussianMixture mixture, float[][] samples) {
        Objects.requireNonNull(mixture, "mixture");
        Objects.requireNonNull(samples, "samples");
        int modeCount = mixture.modeCount();
        double threshold = HIGH_QUALITY_STDS * mixture.std();
        int[] histogram = new int[modeCount];
        int highQuality = 0;
        for (int i = 0; i < samples.length; i++) {
            float[] sample = samples[i];
            if (sample == null || sample.length != 2) {
                throw new IllegalArgumentException("sample " + i + " must have exactly 2 coordinates");
            }
            int mode = mixture.nearestMode(sample[0], sample[1]);
            // NaN distances fail this test, so diverged generators count as low quality.
            if (mixture.distanceToMode(mode, sample[0], sample[1]) <= threshold) {
                histogram[mode]++;
                highQuality++;
            }
        }
        int covered = (int) Arrays.stream(histogram).filter(count -> count > 0).count();
        double fraction = samples.length == 0 ? 0.0 : (double) highQuality / samples.length;
        return new Result(covered, modeCount, fraction, reverseKl(histogram, highQuality), histogram);
    }

    private static double reverseKl(int[] histogram, int highQuality) {
        if (highQuality == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double kl = 0;
        for (int count : histogram) {
            if (count > 0) {
                double share = (double) count / highQuality;
                kl += share * Math.log(share * histogram.length);
            }
        }
        return kl;
    }
}
