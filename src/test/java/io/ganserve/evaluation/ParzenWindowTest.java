package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParzenWindowTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float[][] column(float... values) {
        float[][] rows = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new float[] {values[i]};
        }
        return rows;
    }

    private static double logNormal(double x, double mean, double sigma) {
        return -(x - mean) * (x - mean) / (2 * sigma * sigma) - Math.log(sigma * Math.sqrt(2 * Math.PI));
    }

    /** The formula pair by pair in double, with the log-sum-exp trick. */
    private static double bruteForce(float[][] samples, float[] x, double sigma) {
        double[] exponents = new double[samples.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < samples.length; i++) {
            double squared = 0;
            for (int j = 0; j < x.length; j++) {
                squared += (x[j] - (double) samples[i][j]) * (x[j] - (double) samples[i][j]);
            }
            exponents[i] = -squared / (2 * sigma * sigma);
            max = Math.max(max, exponents[i]);
        }
        double sum = 0;
        for (double exponent : exponents) {
            sum += Math.exp(exponent - max);
        }
        return max + Math.log(sum / samples.length) - x.length * Math.log(sigma * Math.sqrt(2 * Math.PI));
    }

    private static float[][] uniform(int rows, int dimension, double low, double high, long seed) {
        Random random = new Random(seed);
        float[][] data = new float[rows][dimension];
        for (float[] row : data) {
            for (int j = 0; j < dimension; j++) {
                row[j] = (float) (low + (high - low) * random.nextDouble());
            }
        }
        return data;
    }

    @Test
    void defaultSigmasAreTenLogSpacedValuesFromPointOneToOne() {
        double[] sigmas = ParzenWindow.defaultSigmas();

        assertThat(sigmas).hasSize(10);
        assertThat(sigmas[0]).isCloseTo(0.1, within(1e-15));
        assertThat(sigmas[9]).isCloseTo(1.0, within(1e-15));
        for (int i = 1; i < 10; i++) {
            assertThat(sigmas[i] / sigmas[i - 1]).isCloseTo(Math.pow(10, 1.0 / 9), within(1e-12));
        }
    }

    @Test
    void singleSampleIsExactlyAGaussianDensity() {
        double sigma = 0.7;
        float[] xs = {0f, 0.5f, -1.25f};

        ParzenWindow.Result result = ParzenWindow.logLikelihood(manager.create(column(0f)), manager.create(column(xs)),
                sigma);

        double[] expected = new double[xs.length];
        double mean = 0;
        for (int i = 0; i < xs.length; i++) {
            expected[i] = logNormal(xs[i], 0, sigma);
            mean += expected[i] / xs.length;
        }
        double variance = 0;
        for (double value : expected) {
            variance += (value - mean) * (value - mean) / xs.length;
        }
        assertThat(result.mean()).isCloseTo(mean, within(1e-6));
        assertThat(result.standardError()).isCloseTo(Math.sqrt(variance / xs.length), within(1e-6));
        assertThat(result.sigma()).isEqualTo(sigma);
    }

    @Test
    void twoSamplesGiveAnEvenMixtureByHand() {
        double sigma = 0.5;
        float[] xs = {-1f, 0.25f, 3f};

        double[] perPoint = ParzenWindow.pointLogLikelihoods(manager.create(column(-1f, 2f)), manager.create(column(xs)),
                new double[] {sigma}, 0)[0];

        for (int i = 0; i < xs.length; i++) {
            double mixture = 0.5 * Math.exp(logNormal(xs[i], -1, sigma)) + 0.5 * Math.exp(logNormal(xs[i], 2, sigma));
            assertThat(perPoint[i]).as("x=%s", xs[i]).isCloseTo(Math.log(mixture), within(1e-6));
        }
    }

    @Test
    void matchesADoubleBruteForceForEveryCandidateAndChunking() {
        float[][] samples = FeatureStatisticsTest.gaussian(120, 7, 0.5, 0.3, 31);
        float[][] points = uniform(45, 7, 0, 1, 32);
        // One point far away: at σ = 0.1 its exponents are about −7000, where exp underflows to 0
        // unless the log-sum-exp is shifted.
        java.util.Arrays.fill(points[44], 5f);
        double[] sigmas = ParzenWindow.defaultSigmas();

        double[][] whole = ParzenWindow.pointLogLikelihoods(manager.create(samples), manager.create(points), sigmas, 0);
        double[][] chunked = ParzenWindow.pointLogLikelihoods(manager.create(samples), manager.create(points), sigmas, 8);

        for (int s = 0; s < sigmas.length; s++) {
            for (int i = 0; i < points.length; i++) {
                double expected = bruteForce(samples, points[i], sigmas[s]);
                // float32 distances carry ~1e-7 relative error, which the far point's exponents of
                // thousands turn into more than 1e-4 absolute.
                double tolerance = 1e-4 + 1e-7 * Math.abs(expected);
                assertThat(whole[s][i]).as("σ=%s point %d", sigmas[s], i).isCloseTo(expected, within(tolerance));
                assertThat(chunked[s][i]).isEqualTo(whole[s][i]);
            }
        }
        assertThat(whole[0][44]).isLessThan(-5000);
    }

    @Test
    void windowOnGaussianSamplesScoresGaussianDataAboveWindowOnWideNoise() {
        int d = 4;
        NDArray gaussianSamples = manager.create(FeatureStatisticsTest.gaussian(2000, d, 0, 1, 41));
        NDArray noiseSamples = manager.create(uniform(2000, d, -10, 10, 42));
        NDArray validation = manager.create(FeatureStatisticsTest.gaussian(500, d, 0, 1, 43));
        NDArray test = manager.create(FeatureStatisticsTest.gaussian(1000, d, 0, 1, 44));

        ParzenWindow.Result fromGaussian = ParzenWindow.evaluate(gaussianSamples, validation, test);
        ParzenWindow.Result fromNoise = ParzenWindow.evaluate(noiseSamples, validation, test);

        // The true density scores −d·(½ + log√(2π)) ≈ −5.68 per point; a window is a bit worse.
        double truth = -d * (0.5 + 0.5 * Math.log(2 * Math.PI));
        assertThat(fromGaussian.mean()).isBetween(truth - 1.0, truth);
        // Uniform noise on [−10, 10]⁴ spreads the mass over 20⁴: about −4·log 20 ≈ −12.
        assertThat(fromNoise.mean()).isLessThan(fromGaussian.mean() - 4);
        assertThat(fromGaussian.standardError()).isPositive().isLessThan(0.1);
    }

    @Test
    void chooseSigmaFindsTheWidthOfASingleKernel() {
        // A window of one sample at 0 is the Gaussian N(0, σ²I); its likelihood of data from
        // N(0, σ*²I) peaks at σ = σ*, and neighbouring candidates are 29% off.
        double[] candidates = ParzenWindow.defaultSigmas();
        double target = candidates[6];
        NDArray origin = manager.create(new float[][] {{0, 0, 0}});
        NDArray validation = manager.create(FeatureStatisticsTest.gaussian(2000, 3, 0, target, 51));

        assertThat(ParzenWindow.chooseSigma(origin, validation, candidates)).isEqualTo(target);
    }

    @Test
    void chooseSigmaTakesTheSmallestWidthWhenValidationRepeatsTheSamples() {
        float[][] data = FeatureStatisticsTest.gaussian(200, 5, 0, 1, 61);
        double[] candidates = ParzenWindow.defaultSigmas();

        assertThat(ParzenWindow.chooseSigma(manager.create(data), manager.create(data), candidates))
                .isEqualTo(candidates[0]);
    }

    @Test
    void leavesNoArraysInTheCallersManager() {
        NDArray samples = manager.create(FeatureStatisticsTest.gaussian(30, 3, 0, 1, 71));
        NDArray points = manager.create(FeatureStatisticsTest.gaussian(20, 3, 0, 1, 72));
        int before = manager.getManagedArrays().size();

        ParzenWindow.pointLogLikelihoods(samples, points, ParzenWindow.defaultSigmas(), 6);
        ParzenWindow.evaluate(samples, points, points);

        assertThat(manager.getManagedArrays()).hasSize(before);
    }

    @Test
    void rejectsBadArguments() {
        NDArray samples = manager.create(FeatureStatisticsTest.gaussian(10, 3, 0, 1, 81));
        NDArray narrow = manager.create(FeatureStatisticsTest.gaussian(10, 2, 0, 1, 82));

        assertThatThrownBy(() -> ParzenWindow.logLikelihood(samples, narrow, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParzenWindow.logLikelihood(samples, samples, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParzenWindow.chooseSigma(samples, samples, new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParzenWindow.logSpaced(0, 1, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
