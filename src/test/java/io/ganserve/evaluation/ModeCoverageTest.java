package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.data.GaussianMixture;
import org.junit.jupiter.api.Test;

class ModeCoverageTest {

    private static float[][] atModes(GaussianMixture mixture, int perMode) {
        double[][] modes = mixture.modes();
        float[][] samples = new float[modes.length * perMode][];
        for (int i = 0; i < samples.length; i++) {
            double[] mode = modes[i % modes.length];
            samples[i] = new float[] {(float) mode[0], (float) mode[1]};
        }
        return samples;
    }

    @Test
    void samplesExactlyAtEveryModeCoverAll() {
        GaussianMixture grid = GaussianMixture.grid25();

        ModeCoverage.Result result = ModeCoverage.evaluate(grid, atModes(grid, 4));

        assertThat(result.modesCovered()).isEqualTo(25);
        assertThat(result.modeCount()).isEqualTo(25);
        assertThat(result.highQualityFraction()).isEqualTo(1.0);
        assertThat(result.reverseKl()).isCloseTo(0.0, within(1e-12));
        assertThat(result.histogram()).hasSize(25).containsOnly(4);
    }

    @Test
    void collapseOntoOneModeGivesLogK() {
        GaussianMixture ring = GaussianMixture.ring8();
        float[][] samples = new float[100][];
        for (int i = 0; i < samples.length; i++) {
            // Within 3 std (0.03) of mode 2 at (0, 1).
            samples[i] = new float[] {0.02f * (i % 2 == 0 ? 1 : -1), 1f};
        }

        ModeCoverage.Result result = ModeCoverage.evaluate(ring, samples);

        assertThat(result.modesCovered()).isEqualTo(1);
        assertThat(result.histogram()[2]).isEqualTo(100);
        assertThat(result.highQualityFraction()).isEqualTo(1.0);
        assertThat(result.reverseKl()).isCloseTo(Math.log(8), within(1e-12));
    }

    @Test
    void samplesFarFromEveryModeAreLowQuality() {
        GaussianMixture ring = GaussianMixture.ring8();
        float[][] samples = {{0f, 0f}, {5f, 5f}, {1.05f, 0f}, {Float.NaN, 1f}};

        ModeCoverage.Result result = ModeCoverage.evaluate(ring, samples);

        assertThat(result.highQualityFraction()).isEqualTo(0.0);
        assertThat(result.modesCovered()).isZero();
        assertThat(result.reverseKl()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void mixOfGoodAndBadSamples() {
        GaussianMixture ring = GaussianMixture.ring8();
        float[][] samples = {{1f, 0f}, {1f, 0f}, {-1f, 0f}, {0f, 0f}};

        ModeCoverage.Result result = ModeCoverage.evaluate(ring, samples);

        assertThat(result.highQualityFraction()).isEqualTo(0.75);
        assertThat(result.modesCovered()).isEqualTo(2);
        double expected = (2.0 / 3) * Math.log(2.0 / 3 * 8) + (1.0 / 3) * Math.log(1.0 / 3 * 8);
        assertThat(result.reverseKl()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void trueSamplesCoverAllModesWithSmallKl() {
        GaussianMixture grid = GaussianMixture.grid25();

        ModeCoverage.Result result = ModeCoverage.evaluate(grid, grid.sample(10_000, new java.util.Random(1)));

        assertThat(result.modesCovered()).isEqualTo(25);
        // 3 std in 2-D keeps 1 - exp(-4.5) of the mass.
        assertThat(result.highQualityFraction()).isCloseTo(1 - Math.exp(-4.5), within(0.005));
        assertThat(result.reverseKl()).isLessThan(0.01);
    }
}
