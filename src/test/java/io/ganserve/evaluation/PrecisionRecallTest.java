package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

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

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += (a[j] - (double) b[j]) * (a[j] - (double) b[j]);
        }
        return Math.sqrt(sum);
    }

    /** The paper's definition, pair by pair in double. */
    private static double bruteForceFractionInside(float[][] points, float[][] manifold, int k) {
        double[] radii = new double[manifold.length];
        for (int i = 0; i < manifold.length; i++) {
            double[] distances = new double[manifold.length];
            for (int j = 0; j < manifold.length; j++) {
                distances[j] = distance(manifold[i], manifold[j]);
            }
            Arrays.sort(distances);
            radii[i] = distances[k];
        }
        int inside = 0;
        for (float[] point : points) {
            for (int j = 0; j < manifold.length; j++) {
                if (distance(point, manifold[j]) <= radii[j]) {
                    inside++;
                    break;
                }
            }
        }
        return (double) inside / points.length;
    }

    @Test
    void oneDimensionalExampleByHand() {
        // k = 1. Real radii: 1 for 0, 1, 2, 3 and 7 for 10. Fake −3 is 3 from 0, outside; 5 is inside
        // 10's ball. Fake radii: 0.5 → 2.1, 5 → 2.3, 2.6 → 0.1, 2.7 → 0.1, −3 → 3.5; real 10 is 5
        // from the nearest fake, outside every fake ball; 3 is 2 from 5, inside.
        NDArray real = manager.create(column(0, 1, 2, 3, 10));
        NDArray fake = manager.create(column(0.5f, 5, 2.6f, 2.7f, -3));

        PrecisionRecall.Result result = PrecisionRecall.compute(real, fake, 1);

        assertThat(result.precision()).isCloseTo(0.8, within(1e-12));
        assertThat(result.recall()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void identicalSetsHaveFullPrecisionAndRecall() {
        float[][] data = FeatureStatisticsTest.gaussian(500, 16, 0, 1, 1);
        NDArray real = manager.create(data);
        NDArray copy = manager.create(data);

        PrecisionRecall.Result result = PrecisionRecall.compute(real, copy, 3);

        assertThat(result.precision()).isEqualTo(1.0);
        assertThat(result.recall()).isEqualTo(1.0);
        assertThat(PrecisionRecall.compute(real, real)).isEqualTo(result);
    }

    @Test
    void setsFarApartHaveNeitherPrecisionNorRecall() {
        NDArray real = manager.create(FeatureStatisticsTest.gaussian(400, 16, 0, 1, 2));
        NDArray fake = manager.create(FeatureStatisticsTest.gaussian(400, 16, 20, 1, 3));

        PrecisionRecall.Result result = PrecisionRecall.compute(real, fake, 3);

        assertThat(result.precision()).isEqualTo(0.0);
        assertThat(result.recall()).isEqualTo(0.0);
    }

    @Test
    void modeCollapseKeepsPrecisionButLosesRecall() {
        float[][] realData = FeatureStatisticsTest.gaussian(1000, 8, 0, 1, 4);
        // 1000 fakes near only 20 of the real points: plausible samples, 2% of the variety.
        Random random = new Random(5);
        float[][] fakeData = new float[1000][8];
        for (int i = 0; i < fakeData.length; i++) {
            float[] source = realData[i % 20];
            for (int j = 0; j < 8; j++) {
                fakeData[i][j] = source[j] + (float) (0.01 * random.nextGaussian());
            }
        }

        PrecisionRecall.Result result = PrecisionRecall.compute(manager.create(realData), manager.create(fakeData), 3);

        assertThat(result.precision()).isGreaterThan(0.99);
        assertThat(result.recall()).isLessThan(0.03);
    }

    @Test
    void chunkedEngineResultMatchesAPairwiseBruteForce() {
        float[][] realData = FeatureStatisticsTest.gaussian(300, 5, 0, 1, 6);
        float[][] fakeData = FeatureStatisticsTest.gaussian(200, 5, 0.7, 1.3, 7);
        NDArray real = manager.create(realData);
        NDArray fake = manager.create(fakeData);
        double precision = bruteForceFractionInside(fakeData, realData, 3);
        double recall = bruteForceFractionInside(realData, fakeData, 3);

        PrecisionRecall.Result whole = PrecisionRecall.compute(real, fake, 3);
        PrecisionRecall.Result chunked = PrecisionRecall.compute(real, fake, 3, 37);

        // Different enough to be a real check, not a saturated 0 or 1.
        assertThat(precision).isBetween(0.2, 0.9);
        assertThat(recall).isBetween(0.2, 0.9);
        // float32 distances may flip a point lying on a ball's boundary to rounding: one point at most.
        assertThat(whole.precision()).isCloseTo(precision, within(1.0 / fakeData.length));
        assertThat(whole.recall()).isCloseTo(recall, within(1.0 / realData.length));
        assertThat(chunked).isEqualTo(whole);
    }

    @Test
    void leavesNoArraysInTheCallersManager() {
        NDArray real = manager.create(FeatureStatisticsTest.gaussian(60, 4, 0, 1, 8));
        NDArray fake = manager.create(FeatureStatisticsTest.gaussian(50, 4, 0, 1, 9));
        int before = manager.getManagedArrays().size();

        PrecisionRecall.compute(real, fake, 3, 16);

        assertThat(manager.getManagedArrays()).hasSize(before);
    }

    @Test
    void rejectsBadArguments() {
        NDArray real = manager.create(FeatureStatisticsTest.gaussian(10, 4, 0, 1, 8));
        NDArray narrow = manager.create(FeatureStatisticsTest.gaussian(10, 3, 0, 1, 8));
        NDArray few = manager.create(FeatureStatisticsTest.gaussian(3, 4, 0, 1, 8));

        assertThatThrownBy(() -> PrecisionRecall.compute(real, narrow, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrecisionRecall.compute(real, few, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrecisionRecall.compute(real, real, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
