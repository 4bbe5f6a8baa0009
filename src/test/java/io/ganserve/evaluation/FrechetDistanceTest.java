package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static FeatureStatistics diagonal(double[] mean, double[] variances) {
        double[][] covariance = new double[variances.length][variances.length];
        for (int i = 0; i < variances.length; i++) {
            covariance[i][i] = variances[i];
        }
        return new FeatureStatistics(mean, covariance, 1000);
    }

    /** A random orthogonal matrix (rows orthonormal), by Gram-Schmidt on Gaussian rows. */
    private static double[][] randomRotation(int n, Random random) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = random.nextGaussian();
            }
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += q[i][j] * q[p][j];
                }
                for (int j = 0; j < n; j++) {
                    q[i][j] -= dot * q[p][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < n; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    /** Qᵀ diag(values) Q */
    private static double[][] rotated(double[][] q, double[] values) {
        int n = values.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += q[k][i] * values[k] * q[k][j];
                }
            }
        }
        return a;
    }

    /** A random SPD matrix G Gᵀ / n + a small ridge, generally not commuting with another such one. */
    private static double[][] randomCovariance(int n, Random random) {
        double[][] g = new double[n][n];
        for (double[] row : g) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += g[i][k] * g[j][k] / n;
                }
            }
            a[i][i] += 0.01;
        }
        return a;
    }

    @Test
    void diagonalCovariancesInClosedForm() {
        double[] meanA = {0, 1, -2};
        double[] meanB = {1, 1, 0};
        double[] varA = {1, 4, 0.25};
        double[] varB = {9, 1, 0.25};

        double distance = FrechetDistance.between(diagonal(meanA, varA), diagonal(meanB, varB));

        double expected = 1 + 0 + 4;
        for (int i = 0; i < 3; i++) {
            expected += varA[i] + varB[i] - 2 * Math.sqrt(varA[i] * varB[i]);
        }
        assertThat(expected).isEqualTo(5 + 4 + 1 + 0); // (1−3)², (2−1)², (0.5−0.5)²
        assertThat(distance).isCloseTo(expected, within(1e-12));
    }

    @Test
    void commutingNonDiagonalCovariancesByHand() {
        // Σa = [[2, 1], [1, 2]] and Σb = [[2, −1], [−1, 2]] share eigenvectors (1, ±1)/√2 with
        // eigenvalues (3, 1) and (1, 3): ΣaΣb has eigenvalues 3 and 3, so Tr((ΣaΣb)^½) = 2√3.
        FeatureStatistics a = new FeatureStatistics(new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}}, 10);
        FeatureStatistics b = new FeatureStatistics(new double[] {1, 2}, new double[][] {{2, -1}, {-1, 2}}, 10);

        assertThat(FrechetDistance.between(a, b)).isCloseTo(5 + 8 - 4 * Math.sqrt(3), within(1e-12));
    }

    @Test
    void nonCommutingTwoByTwoByHand() {
        // Σa = diag(4, 1), Σb = [[1, 1], [1, 2]]: ΣaΣb = [[4, 4], [1, 2]], trace 6, determinant 4.
        // For a 2×2 matrix with eigenvalues λ₁, λ₂ ≥ 0, (√λ₁ + √λ₂)² = trace + 2√det, so Tr(·^½) = √10.
        FeatureStatistics a = new FeatureStatistics(new double[] {0, 0}, new double[][] {{4, 0}, {0, 1}}, 10);
        FeatureStatistics b = new FeatureStatistics(new double[] {0, 0}, new double[][] {{1, 1}, {1, 2}}, 10);

        assertThat(FrechetDistance.between(a, b)).isCloseTo(5 + 3 - 2 * Math.sqrt(10), within(1e-12));
    }

    @Test
    void randomTwoByTwoAgainstTheTraceDeterminantFormula() {
        Random random = new Random(21);
        for (int trial = 0; trial < 20; trial++) {
            double[][] sa = randomCovariance(2, random);
            double[][] sb = randomCovariance(2, random);
            double p00 = sa[0][0] * sb[0][0] + sa[0][1] * sb[1][0];
            double p11 = sa[1][0] * sb[0][1] + sa[1][1] * sb[1][1];
            double det = (sa[0][0] * sa[1][1] - sa[0][1] * sa[1][0]) * (sb[0][0] * sb[1][1] - sb[0][1] * sb[1][0]);
            double expected = Math.sqrt(p00 + p11 + 2 * Math.sqrt(det));

            assertThat(FrechetDistance.traceOfSquareRootOfProduct(sa, sb)).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void rotatedCommutingCovariancesInClosedForm() {
        Random random = new Random(7);
        int n = 20;
        double[][] q = randomRotation(n, random);
        double[] valuesA = new double[n];
        double[] valuesB = new double[n];
        double[] meanA = new double[n];
        double[] meanB = new double[n];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            valuesA[i] = 0.1 + random.nextDouble() * 3;
            valuesB[i] = 0.1 + random.nextDouble() * 3;
            meanA[i] = random.nextGaussian();
            meanB[i] = random.nextGaussian();
            double difference = meanA[i] - meanB[i];
            expected += difference * difference + valuesA[i] + valuesB[i] - 2 * Math.sqrt(valuesA[i] * valuesB[i]);
        }

        double distance = FrechetDistance.between(new FeatureStatistics(meanA, rotated(q, valuesA), 100),
                new FeatureStatistics(meanB, rotated(q, valuesB), 100));

        assertThat(distance).isCloseTo(expected, within(1e-10 * expected));
    }

    @Test
    void distanceToItselfIsZeroAndDistanceIsSymmetric() {
        Random random = new Random(11);
        int n = 64;
        double[] meanA = new double[n];
        double[] meanB = new double[n];
        for (int i = 0; i < n; i++) {
            meanA[i] = random.nextGaussian();
            meanB[i] = random.nextGaussian();
        }
        FeatureStatistics a = new FeatureStatistics(meanA, randomCovariance(n, random), 100);
        FeatureStatistics b = new FeatureStatistics(meanB, randomCovariance(n, random), 100);

        assertThat(FrechetDistance.between(a, a)).isCloseTo(0.0, within(1e-9));
        double ab = FrechetDistance.between(a, b);
        assertThat(ab).isGreaterThan(n * 0.5);
        assertThat(FrechetDistance.between(b, a)).isCloseTo(ab, within(1e-9 * ab));
    }

    @Test
    void rankDeficientCovarianceFromFewerSamplesThanFeatures() {
        // 10 samples in 30 dims: Σa has rank 9, where a general matrix square root goes complex.
        var few = manager.create(FeatureStatisticsTest.gaussian(10, 30, 0, 1, 4));
        var many = manager.create(FeatureStatisticsTest.gaussian(400, 30, 0, 1, 5));
        FeatureStatistics a = FeatureStatistics.of(few);
        FeatureStatistics b = FeatureStatistics.of(many);

        double ab = FrechetDistance.between(a, b);

        assertThat(ab).isFinite().isPositive();
        assertThat(FrechetDistance.between(b, a)).isCloseTo(ab, within(1e-9 * ab));
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void samplesOfTheSameGaussianAreCloseAndShiftedOrNoiseSamplesAreFar() {
        int d = 8;
        var first = manager.create(FeatureStatisticsTest.gaussian(4000, d, 0, 1, 100));
        var second = manager.create(FeatureStatisticsTest.gaussian(4000, d, 0, 1, 200));
        var shifted = manager.create(FeatureStatisticsTest.gaussian(4000, d, 1, 1, 300));
        var wide = manager.create(FeatureStatisticsTest.gaussian(4000, d, 0, 3, 400));

        double same = FrechetDistance.between(first, second);
        double shift = FrechetDistance.between(first, shifted);
        double noise = FrechetDistance.between(first, wide);

        // Estimation noise only: of the order of d²/N.
        assertThat(same).isLessThan(0.05);
        // ‖Δμ‖² = d; Σ(1 + 9 − 2·3) = 4d.
        assertThat(shift).isCloseTo(d, within(0.3));
        assertThat(noise).isCloseTo(4.0 * d, within(1.5));
    }

    @Test
    void rejectsDifferentDimensions() {
        FeatureStatistics a = diagonal(new double[] {0, 0}, new double[] {1, 1});
        FeatureStatistics b = diagonal(new double[] {0}, new double[] {1});

        assertThatThrownBy(() -> FrechetDistance.between(a, b)).isInstanceOf(IllegalArgumentException.class);
    }
}
