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

class FeatureStatisticsTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static float[][] gaussian(int rows, int dimension, double offset, double scale, long seed) {
        Random random = new Random(seed);
        float[][] data = new float[rows][dimension];
        for (float[] row : data) {
            for (int j = 0; j < dimension; j++) {
                row[j] = (float) (offset + scale * random.nextGaussian());
            }
        }
        return data;
    }

    @Test
    void smallExampleByHand() {
        // Deviations from the mean (3, 4): (−2, −2), (0, 2), (2, 0); scatter [[8, 4], [4, 8]] over N − 1 = 2.
        NDArray features = manager.create(new float[][] {{1, 2}, {3, 6}, {5, 4}});

        FeatureStatistics statistics = FeatureStatistics.of(features);

        assertThat(statistics.count()).isEqualTo(3);
        assertThat(statistics.dimension()).isEqualTo(2);
        assertThat(statistics.mean()).containsExactly(new double[] {3, 4}, within(1e-12));
        assertThat(statistics.covariance()[0]).containsExactly(new double[] {4, 2}, within(1e-12));
        assertThat(statistics.covariance()[1]).containsExactly(new double[] {2, 4}, within(1e-12));
    }

    @Test
    void matchesADoubleBruteForceDespiteALargeMean() {
        // A mean 1000 times the spread: one-pass float32 formulas lose every digit here.
        float[][] data = gaussian(500, 6, 1000, 1, 3);

        FeatureStatistics statistics = FeatureStatistics.of(manager.create(data));

        int n = data.length;
        int d = data[0].length;
        double[] mean = new double[d];
        for (float[] row : data) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] covariance = statistics.covariance();
        assertThat(statistics.mean()).containsExactly(mean, within(1e-9));
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (float[] row : data) {
                    sum += (row[i] - mean[i]) * (row[j] - mean[j]);
                }
                assertThat(covariance[i][j]).as("(%d, %d)", i, j).isCloseTo(sum / (n - 1), within(1e-9));
            }
        }
        assertThat(covariance[0][0]).isCloseTo(1.0, within(0.2));
    }

    @Test
    void chunkingDoesNotChangeTheResult() {
        NDArray features = manager.create(gaussian(50, 4, 2, 3, 8));

        FeatureStatistics whole = FeatureStatistics.of(features);
        FeatureStatistics chunked = FeatureStatistics.of(features, 7);

        assertThat(chunked.mean()).containsExactly(whole.mean(), within(1e-12));
        for (int i = 0; i < 4; i++) {
            assertThat(chunked.covariance()[i]).containsExactly(whole.covariance()[i], within(1e-12));
        }
    }

    @Test
    void leavesNoArraysInTheCallersManager() {
        NDArray features = manager.create(gaussian(40, 3, 0, 1, 1));
        int before = manager.getManagedArrays().size();

        FeatureStatistics.of(features, 9);

        assertThat(manager.getManagedArrays()).hasSize(before);
        assertThat(features.toFloatArray()).hasSize(120);
    }

    @Test
    void rejectsTooFewRowsAndWrongShapes() {
        assertThatThrownBy(() -> FeatureStatistics.of(manager.create(new float[][] {{1, 2}})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeatureStatistics.of(manager.create(new float[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeatureStatistics(new double[2], new double[3][3], 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
