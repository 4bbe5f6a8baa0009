package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    static double[][] randomSymmetric(int n, long seed) {
        Random random = new Random(seed);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = random.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        return a;
    }

    private static double maxAbs(double[][] a) {
        double max = 0;
        for (double[] row : a) {
            for (double x : row) {
                max = Math.max(max, Math.abs(x));
            }
        }
        return max;
    }

    /** max |A − Σ λᵢ vᵢ vᵢᵀ| */
    private static double reconstructionError(double[][] a, SymmetricEigen.Decomposition decomposition) {
        double[] values = decomposition.values();
        double[][] vectors = decomposition.vectors();
        int n = a.length;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += values[k] * vectors[k][i] * vectors[k][j];
                }
                worst = Math.max(worst, Math.abs(sum - a[i][j]));
            }
        }
        return worst;
    }

    /** max |VVᵀ − I| */
    private static double orthogonalityError(double[][] vectors) {
        double worst = 0;
        for (int i = 0; i < vectors.length; i++) {
            for (int j = 0; j < vectors.length; j++) {
                double dot = 0;
                for (int k = 0; k < vectors.length; k++) {
                    dot += vectors[i][k] * vectors[j][k];
                }
                worst = Math.max(worst, Math.abs(dot - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    @Test
    void twoByTwoByHand() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        SymmetricEigen.Decomposition decomposition = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});

        assertThat(decomposition.values()).containsExactly(new double[] {1, 3}, within(1e-14));
        double[][] v = decomposition.vectors();
        double r = Math.sqrt(0.5);
        assertThat(Math.abs(v[0][0])).isCloseTo(r, within(1e-14));
        assertThat(v[0][0] * v[0][1]).isCloseTo(-0.5, within(1e-14));
        assertThat(v[1][0] * v[1][1]).isCloseTo(0.5, within(1e-14));
    }

    @Test
    void diagonalMatrixGivesItsEntriesSorted() {
        double[][] a = {{3, 0, 0}, {0, -1, 0}, {0, 0, 2}};

        SymmetricEigen.Decomposition decomposition = SymmetricEigen.of(a);

        assertThat(decomposition.values()).containsExactly(new double[] {-1, 2, 3}, within(1e-15));
        assertThat(Math.abs(decomposition.vectors()[0][1])).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void randomMatricesAreReconstructedByOrthonormalVectors() {
        for (int n : new int[] {1, 2, 3, 10, 64}) {
            double[][] a = randomSymmetric(n, 17 + n);

            SymmetricEigen.Decomposition decomposition = SymmetricEigen.of(a);

            assertThat(reconstructionError(a, decomposition)).as("n=%d", n).isLessThan(1e-12 * n * maxAbs(a));
            assertThat(orthogonalityError(decomposition.vectors())).as("n=%d", n).isLessThan(1e-13 * n);
            double[] values = decomposition.values();
            for (int i = 1; i < n; i++) {
                assertThat(values[i]).isGreaterThanOrEqualTo(values[i - 1]);
            }
        }
    }

    @Test
    void valuesOnlyAgreesWithFullDecomposition() {
        double[][] a = randomSymmetric(50, 5);

        assertThat(SymmetricEigen.values(a)).containsExactly(SymmetricEigen.of(a).values(), within(1e-12));
    }

    @Test
    void traceAndFrobeniusNormArePreserved() {
        double[][] a = randomSymmetric(40, 9);
        double trace = 0;
        double frobenius = 0;
        for (int i = 0; i < a.length; i++) {
            trace += a[i][i];
            for (double x : a[i]) {
                frobenius += x * x;
            }
        }

        double[] values = SymmetricEigen.values(a);

        assertThat(java.util.Arrays.stream(values).sum()).isCloseTo(trace, within(1e-11));
        assertThat(java.util.Arrays.stream(values).map(x -> x * x).sum()).isCloseTo(frobenius, within(1e-10));
    }

    @Test
    void repeatedAndZeroEigenvaluesOfARankDeficientMatrix() {
        // u uᵀ + w wᵀ with orthogonal u, w in 5 dims: eigenvalues 0, 0, 0, ‖u‖², ‖w‖².
        double[] u = {1, 2, 0, 0, 2};
        double[] w = {2, -1, 1, 1, 0};
        double[][] a = new double[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                a[i][j] = u[i] * u[j] + w[i] * w[j];
            }
        }

        SymmetricEigen.Decomposition decomposition = SymmetricEigen.of(a);

        assertThat(decomposition.values()).containsExactly(new double[] {0, 0, 0, 7, 9}, within(1e-13));
        assertThat(reconstructionError(a, decomposition)).isLessThan(1e-13);
        assertThat(orthogonalityError(decomposition.vectors())).isLessThan(1e-14);
    }

    @Test
    void emptyMatrix() {
        assertThat(SymmetricEigen.of(new double[0][0]).values()).isEmpty();
    }

    @Test
    void rejectsNonSquareAndNonFinite() {
        assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SymmetricEigen.values(new double[][] {{1, 0}, {Double.NaN, 1}}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultIsACopy() {
        SymmetricEigen.Decomposition decomposition = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});

        decomposition.vectors()[0][0] = 42;
        decomposition.values()[0] = 42;

        assertThat(decomposition.vectors()[0][0]).isNotEqualTo(42);
        assertThat(decomposition.values()[0]).isCloseTo(1.0, within(1e-14));
    }
}
